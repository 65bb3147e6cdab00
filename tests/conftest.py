import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = json.loads((ROOT / "tests" / "fixtures" / "seeds_gold.json").read_text(encoding="utf-8"))


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# Property tests: derandomized in CI, so a run passes or fails by the code, not
# by the draw (the same examples every run, no example database carried over);
# random locally, where a new draw may find a new bug. HYPOTHESIS_PROFILE picks
# one explicitly (HYPOTHESIS_PROFILE=ci reproduces CI's run).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", derandomize=False)


def hypothesis_profile(environ=os.environ) -> str:
    return environ.get("HYPOTHESIS_PROFILE") or ("ci" if in_ci(environ) else "dev")


settings.load_profile(hypothesis_profile())


@pytest.fixture(scope="session")
def auditor():
    from fazhi_audit.engine.audit import Auditor

    return Auditor()


def require_tool(path: str | tuple[str, ...], why: str) -> str:
    """The full path of an external program a test needs (a name looked up on
    PATH, an absolute path, or a tuple of alternatives, first found wins).

    Missing: skipped on a developer's machine, but a failure when CI=true,
    because .ci/run installs these programs and such a test must not pass
    by being skipped there.
    """
    for candidate in (path,) if isinstance(path, str) else path:
        found = shutil.which(candidate)
        if found:
            return found
    names = path if isinstance(path, str) else " / ".join(path)
    if in_ci():
        pytest.fail(f"{names} not found ({why}); CI must have it: .ci/run installs it", pytrace=False)
    pytest.skip(f"{names} not found ({why}); installed by .ci/run")
