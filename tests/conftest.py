"""Shared test fixtures: paths to our own fixture pages and the sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["needs", "playerkit"]  # what tests need; the headless Chromium fixture

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "examples" / "night-trains.html"


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Voices installed on this machine (``listen voices install``) stay out of the tests:
    the user data folder is an empty one of the test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("LISTEN_VOICES_FOLDER", raising=False)
    monkeypatch.delenv("LISTEN_VOICES_URL", raising=False)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def sample_article() -> Path:
    return SAMPLE
