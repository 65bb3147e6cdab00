import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = json.loads((ROOT / "tests" / "fixtures" / "seeds_gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def auditor():
    from fazhi_audit.api import Auditor

    return Auditor()
