"""What ``pip install .`` puts in the wheel: every module and data file of the source.

setuptools installs only the packages ``pyproject.toml`` lists and the data files its
globs match; a package added to the tree and not to the list is missing from every
non-editable install (the README's first command) while an editable one works.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from listen.tomlfile import parse_toml

ROOT = Path(__file__).resolve().parent.parent
SETUP = parse_toml((ROOT / "pyproject.toml").read_text(encoding="utf-8"),
                       "pyproject.toml")["tool"]["setuptools"]


def source_folders() -> dict[str, Path]:
    """Each package's name and the folder it installs from (``package-dir``)."""
    folders = {name: ROOT / folder for name, folder in SETUP["package-dir"].items() if name}
    root = ROOT / SETUP["package-dir"][""]
    for init in root.rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(root).parts)
        folders.setdefault(name, init.parent)
    return folders


def test_every_package_of_the_source_is_installed() -> None:
    missing = sorted(set(source_folders()) - set(SETUP["packages"]))
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"


def test_every_data_file_of_the_source_is_installed() -> None:
    data = SETUP["package-data"]
    for name, folder in source_folders().items():
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                relative = path.relative_to(folder).as_posix()
                assert any(fnmatch(relative, glob) for glob in data.get(name, [])), (
                    f"{path.relative_to(ROOT)} is not in [tool.setuptools.package-data]")
            if path.is_dir() and not (path / "__init__.py").exists() and path.name != (
                    "__pycache__"):
                for inner in path.rglob("*"):
                    relative = inner.relative_to(folder).as_posix()
                    assert inner.is_dir() or any(
                        fnmatch(relative, glob) for glob in data.get(name, [])), (
                        f"{inner.relative_to(ROOT)} is not in [tool.setuptools.package-data]")
