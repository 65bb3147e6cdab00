"""The test suite's own settings: what CI runs is repeatable, what a developer
runs locally still explores."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

PROFILE = "import conftest; from hypothesis import settings as s; print(s.default.derandomize, s.default.database)"


@pytest.mark.parametrize(
    "env,derandomized",
    [({"CI": "true"}, True), ({"CI": ""}, False), ({"CI": "", "HYPOTHESIS_PROFILE": "ci"}, True)],
)
def test_hypothesis_is_derandomized_in_ci_only(env, derandomized):
    # a fresh interpreter: the profile is chosen once, when conftest is imported
    full = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"} | env
    out = subprocess.run([sys.executable, "-c", PROFILE], cwd=ROOT / "tests", env=full, capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == str(derandomized)
    if derandomized:
        assert out[1] == "None"  # nor an example database carried between runs
