"""A test whose extra, voice or browser is missing skips on a developer's machine and
fails under CI, naming what to install (tests/needs.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PROBE = '''
import needs

@needs.needs(False, "the piper extra is not installed: pip install 'listen[piper]'")
def test_speaks_with_piper():
    pass

def test_finds_out_late():
    needs.missing("no chromium: run tests/install-system-packages.sh")
'''


def run_probe(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "needs", "-p", "no:cacheprovider", "-rA",
         "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path / "test_probe.py")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_without_ci_a_missing_part_skips_and_names_it(tmp_path: Path, ci: str | None) -> None:
    result = run_probe(tmp_path, ci)
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
    assert "pip install 'listen[piper]'" in result.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_part_fails_and_names_it(tmp_path: Path, ci: str) -> None:
    result = run_probe(tmp_path, ci)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 error" in result.stdout  # the mark fails the test's setup
    assert "the piper extra is not installed: pip install 'listen[piper]'" in result.stdout
    assert "no chromium" in result.stdout and "CI is set" in result.stdout
