"""Where the rule pack is and how it is loaded: the rule types are handed to the loader here.

`rules/` knows nothing of `checks/` (it sits below it); the engine joins the two
by passing the registered rule types to the loader.
"""

from __future__ import annotations

import os
from pathlib import Path

from fazhi_audit.checks.registry import RULE_TYPES
from fazhi_audit.checks.wording import SHARED
from fazhi_audit.rules import loader
from fazhi_audit.rules.loader import RuleSet
from fazhi_audit.rules.schema import Rule
from fazhi_audit.rules.wording import Messages

RULES_ENV = "FAZHI_AUDIT_RULES"


def default_rules_dir() -> Path:
    """FAZHI_AUDIT_RULES; else the rules pack installed with the package
    (setup.py maps rules/ to fazhi_audit/rules_data in the wheel); else rules/
    of the source checkout, which is where an editable install finds it."""
    from importlib.resources import files

    if os.environ.get(RULES_ENV):
        return Path(os.environ[RULES_ENV])
    packaged = Path(str(files("fazhi_audit") / "rules_data"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def load_ruleset(directory: Path, extra_dirs: tuple[Path, ...] | list[Path] = ()) -> RuleSet:
    """The pack in `directory` plus `extra_dirs`, validated against the registered rule types.
    A pack without its own vocab/messages.yaml speaks with the installed pack's wording."""
    return loader.load_ruleset(directory, RULE_TYPES, extra_dirs, SHARED, None if _worded(Path(directory)) else messages())


def load_rule(path: Path) -> Rule:
    """One rule file, worded by the vocab/messages.yaml beside it, else by the installed pack's."""
    path = Path(path)
    return loader.load_rule(path, RULE_TYPES, messages(path.parent if _worded(path.parent) else None))


def messages(directory: Path | None = None) -> Messages:
    """The wording of the pack in `directory` (default: the installed pack)."""
    return loader.load_wording(directory or default_rules_dir(), RULE_TYPES, SHARED)


def _worded(directory: Path) -> bool:
    return (directory / loader.VOCAB_DIR / loader.MESSAGES_FILE).exists()
