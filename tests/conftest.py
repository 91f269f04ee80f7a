"""Shared test fixtures: paths to our own fixture pages and the sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["playerkit"]  # the headless Chromium fixture of the player's tests

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "examples" / "night-trains.html"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def sample_article() -> Path:
    return SAMPLE
