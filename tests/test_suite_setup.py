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
