"""The command line: a thin layer over engine.run()."""

from fazhi_audit.cli.app import app, main

__all__ = ["app", "main"]
