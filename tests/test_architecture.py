"""Guards for the design: light import, layers, public names, types and lint."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import listen

SRC = Path(listen.__file__).parent

# A module may import only from its own layer or below (ARCHITECTURE.md).
LAYERS = {
    0: {"errors", "models", "audio", "fsutil", "tomlfile"},
    1: {"normalize", "numbers", "initialisms", "abbreviations", "lexicon", "voices",
        "engines"},
    2: {"load", "extract", "cleanup", "patterns", "blocks", "metadata", "markup", "tables",
        "preformatted", "script", "synth", "cache", "master", "encode", "tags", "cover",
        "sidecars", "catalog", "feed"},
    3: {"pipeline", "finish", "config", "publish", "scriptview", "doctor"},
    4: {"cli", "__main__", "progress"},
}
# Stages meet through models; a stage imports only its own helper modules.
STAGE_HELPERS = {
    "extract": {"cleanup", "patterns", "blocks", "metadata", "preformatted"},
    "cleanup": {"patterns", "markup", "tables", "preformatted"},
    "tables": {"patterns", "markup"},
    "preformatted": {"patterns", "markup"},
    "markup": {"patterns"},
    "metadata": {"markup"},
    "synth": {"cache"},
}


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for layer, names in LAYERS.items():
        if top in names:
            return layer
    raise AssertionError(f"module listen.{module} is in no layer: add it to LAYERS")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        if parts:
            found.append((".".join(parts), path))
    return found


def _listen_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "listen":
            names.update(a.name for a in node.names if not a.name.startswith("__"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("listen."):
            names.add(node.module.removeprefix("listen."))
        elif isinstance(node, ast.Import):
            names.update(a.name.removeprefix("listen.") for a in node.names
                         if a.name.startswith("listen."))
    return names


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_imports_only_lower_or_same_layer(module: str, path: Path) -> None:
    own = _layer(module)
    for imported in _listen_imports(path):
        assert _layer(imported) <= own, f"listen.{module} (layer {own}) imports listen.{imported}"
        if own == 2 and _layer(imported) == 2:
            allowed = STAGE_HELPERS.get(module, set())
            assert imported in allowed, (
                f"stage listen.{module} imports stage listen.{imported}; stages meet in models"
            )


def test_import_listen_is_light() -> None:
    code = (
        "import sys, listen, listen.models, listen.errors;"
        "heavy = {'pyttsx3', 'piper', 'onnxruntime', 'typer', 'trafilatura', 'lameenc'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_engines_registry_does_not_load_engine_libraries() -> None:
    code = (
        "import sys, listen.engines as e; e.engine_names();"
        "print(sorted({'pyttsx3', 'piper', 'onnxruntime'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_are_sorted_and_importable() -> None:
    assert listen.__all__ == sorted(listen.__all__)
    for name in listen.__all__:
        assert getattr(listen, name) is not None


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"],
                            cwd=SRC.parent.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "bench"],
                            cwd=SRC.parent.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
