"""The test suite's own settings: what CI runs is repeatable, what a developer
runs locally still explores."""

import pytest
from conftest import hypothesis_profile
from hypothesis import settings


@pytest.mark.parametrize(
    "environ,profile",
    [({"CI": "true"}, "ci"), ({"CI": "1"}, "ci"), ({}, "dev"), ({"CI": "false"}, "dev"), ({"HYPOTHESIS_PROFILE": "ci"}, "ci"), ({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}, "dev")],
)
def test_ci_chooses_the_derandomized_profile(environ, profile):
    assert hypothesis_profile(environ) == profile


def test_the_ci_profile_draws_the_same_examples_every_run():
    ci, dev = settings.get_profile("ci"), settings.get_profile("dev")
    assert ci.derandomize and ci.database is None  # no example database carried between runs
    assert not dev.derandomize


def test_this_run_uses_the_profile_its_environment_chooses():
    assert settings.default.derandomize == settings.get_profile(hypothesis_profile()).derandomize


def test_a_hanging_command_fails_after_its_timeout(monkeypatch):
    import importlib
    import time

    from command import TimedOut, fazhi_audit

    cli_app = importlib.import_module("fazhi_audit.cli.app")  # the module: fazhi_audit.cli.app is also the Typer object
    monkeypatch.setattr(cli_app, "app", lambda **_: time.sleep(30))  # a command that never finishes
    started = time.monotonic()
    with pytest.raises(TimedOut):
        fazhi_audit("check", "x.txt", timeout=0.5)
    assert time.monotonic() - started < 5
