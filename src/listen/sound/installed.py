"""Voices installed from the catalogue: fetched, checked, and given a voice profile.

An installed voice is three files in the voices folder (``[voices] folder``; by
default the user data folder, ``~/.local/share/listen/voices`` on Linux)::

    de_DE-thorsten-medium.onnx        the model, as Piper publishes it
    de_DE-thorsten-medium.onnx.json   its config
    de_DE-thorsten-medium.toml        its voice profile: `--voice de_DE-thorsten-medium`
    de_DE-thorsten-medium.MODEL_CARD  where the voice comes from, and its licence

The profile is written last, once both files are whole and match the catalogue's
sizes and checksums: a voice can be used exactly when its profile is there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from listen.errors import DownloadError, UnknownVoice
from listen.fsutil import write_atomic
from listen.models import Pauses, VoiceProfile
from listen.sound.catalogue import CatalogueVoice, VoiceFile
from listen.sound.download import TIMEOUT, Progress, download, join, matches, part_path

PROFILE_SUFFIX = ".toml"
_FOLDER_FIX = "set [voices] folder (or LISTEN_VOICES_FOLDER) to a folder you can write to"


def default_folder() -> Path:
    """Where voices are installed unless ``[voices] folder`` says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("listen") / "voices"


def voices_folder(setting: Path | None) -> Path:
    return setting if setting is not None else default_folder()


@dataclass(frozen=True)
class InstalledFiles:
    """Where one installed voice's files are."""

    folder: Path
    key: str

    @property
    def profile(self) -> Path:
        return self.folder / f"{self.key}{PROFILE_SUFFIX}"

    @property
    def model(self) -> Path:
        return self.folder / f"{self.key}.onnx"

    @property
    def config(self) -> Path:
        return self.folder / f"{self.key}.onnx.json"

    @property
    def card(self) -> Path:
        return self.folder / f"{self.key}.MODEL_CARD"

    def all(self) -> tuple[Path, ...]:
        files = (self.profile, self.model, self.config, self.card)
        return (*files, *(part_path(path) for path in files[1:]))


def installed_names(folder: Path) -> list[str]:
    """The voices installed in ``folder``, by name, sorted."""
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob(f"*{PROFILE_SUFFIX}")
                  if not path.name.startswith("."))


def install(voice: CatalogueVoice, base: str, folder: Path, *,
            on_progress: Progress = lambda _n: None, timeout: float = TIMEOUT) -> Path:
    """Fetch ``voice`` from the catalogue at ``base`` into ``folder`` and write its
    profile; returns the profile's path. An interrupted fetch resumes next time; a
    file that arrives damaged leaves nothing of the voice behind."""
    files = InstalledFiles(folder, voice.key)
    installed_before = files.profile.exists()
    wanted = [(voice.config, files.config), (voice.model, files.model)]
    if voice.card is not None:
        wanted.insert(0, (voice.card, files.card))
    try:
        for file, path in wanted:
            _fetch(base, file, path, on_progress, timeout)
    except DownloadError:
        # Nothing to resume: take away what this attempt left (a voice installed
        # before keeps its files: the damaged download was not kept).
        if not installed_before and not part_path(files.model).exists():
            _unlink(files.all())
        raise
    write_atomic(files.profile, profile_text(voice, base).encode(), fix=_FOLDER_FIX)
    return files.profile


def _fetch(base: str, wanted: VoiceFile, path: Path, on_progress: Progress,
           timeout: float) -> None:
    if matches(path, wanted.size, wanted.md5):
        on_progress(wanted.size)
        return
    download(join(base, wanted.path), path, wanted.size, wanted.md5,
             on_progress=on_progress, timeout=timeout)


def remove(name: str, folder: Path) -> list[Path]:
    """Delete an installed voice (and any part of it still downloading)."""
    is_a_name = name and not name.startswith(".") and Path(name).name == name
    present = [path for path in InstalledFiles(folder, name).all() if path.exists()
               ] if is_a_name else []
    if not present:
        installed = ", ".join(installed_names(folder)) or "none"
        raise UnknownVoice(f"no installed voice named {name!r} in {folder} (installed: "
                           f"{installed}); shipped and your own profiles are not removed "
                           "by listen")
    _unlink(present)
    return present


def _unlink(paths: tuple[Path, ...] | list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def profile_text(voice: CatalogueVoice, base: str) -> str:
    """The voice profile of an installed voice, explained in its header."""
    defaults = VoiceProfile(name=voice.key, engine="piper")
    pauses = "\n".join(f"{field.name} = {getattr(Pauses(), field.name)}"
                       for field in fields(Pauses))
    return (
        f"# Voice profile {json.dumps(voice.key, ensure_ascii=False)}: Piper's voice "
        f"{voice.name!r}, {voice.described}.\n"
        f"# Installed by `listen voices install` from {base} on {date.today().isoformat()};\n"
        f"# `listen voices remove {voice.key}` removes it. Its licence: {voice.key}.MODEL_CARD\n"
        "# beside this file. To change its pace or pauses, copy this file into your profile\n"
        "# folder, give voice the model's full path, and edit the copy (every key is\n"
        "# explained in the shipped joe.toml and in the README).\n\n"
        'engine = "piper"\n'
        f"voice = {json.dumps(voice.key + '.onnx', ensure_ascii=False)}\n"
        f"language = {json.dumps(voice.language.replace('_', '-'))}\n"
        f"rate = {defaults.rate}\n"
        f"loudness = {defaults.loudness}\n"
        f"true_peak = {defaults.true_peak}\n"
        "lexicons = []\n\n"
        f"[pauses]\n{pauses}\n"
    )

