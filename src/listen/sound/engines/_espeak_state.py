"""The state libespeak-ng carries from one call to the next, and its reset.

A take must depend only on its text, voice and settings: the take cache and cluster
renders assume it. libespeak-ng breaks that with three function-local statics that
no API call resets (espeak-ng 1.51 and 1.52, ``wavegen.c``):

* ``Flutter_ix`` in ``AdvanceParameters``: the phase of the pitch flutter. Pitch sets
  the length of every glottal cycle, so the same sentence lasted 91,440 samples
  after three others and 91,854 when spoken first;
* ``cycle_count`` in ``Wavegen``: the phase of the roughness modulation, which
  changes the samples (not the length);
* ``agc`` in ``Wavegen``: the gain lowered after a clipped sample, recovering slowly.

Before each take the pyttsx3 engine writes their load-time values back, found by
name in the library's own symbol table (``.symtab``), and reseeds the C library's
``rand`` (breathy variants mix in its noise). Measured: the same four sentences in
three orders, byte-identical with the reset, three different results without it.

The ``espeakng-loader`` wheel's library keeps its symbol table. A stripped library
(most distributions' packages) has none: ``available`` is then False, takes may
depend on their order, and ``Pyttsx3Engine.version()`` says so.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

STATICS = ("Flutter_ix", "cycle_count", "agc")
"""The carried-over statics, by their source names."""
_ANCHOR = "espeak_Info"
"""An exported function whose address gives the library's load address."""
_RAND_SEED = 1


@dataclass(frozen=True)
class _Static:
    name: str
    offset: int
    """Address relative to the library's load address."""
    initial: bytes
    """Its value when the library was loaded."""


class StateReset:
    """Writes libespeak-ng's carried-over statics back to their load-time values."""

    def __init__(self, library: ctypes.CDLL, path: str) -> None:
        self._statics: tuple[_Static, ...] = ()
        self._base = 0
        self._libc = _libc()
        try:
            statics, anchor = _read_symbols(Path(path))
        except (OSError, ImportError, ValueError) as exc:
            log.debug("cannot read the symbols of %s: %s", path, exc)
            return
        if anchor is None or len(statics) != len(STATICS):
            return  # stripped, or a version whose statics moved: nothing to reset
        address = ctypes.cast(getattr(library, _ANCHOR), ctypes.c_void_p).value or 0
        self._base = address - anchor
        self._statics = statics

    @property
    def available(self) -> bool:
        return bool(self._statics)

    def __call__(self) -> None:
        """Reset the state; call it while espeak-ng is idle, right before a take."""
        for static in self._statics:
            ctypes.memmove(self._base + static.offset, static.initial, len(static.initial))
        if self._libc is not None:
            self._libc.srand(_RAND_SEED)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def _read_symbols(path: Path) -> tuple[tuple[_Static, ...], int | None]:
    """The statics named in ``STATICS`` with their initial bytes, and the anchor's
    address, from the ELF symbol table of ``path`` (empty for a stripped file)."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection

    with path.open("rb") as handle:
        elf = ELFFile(handle)
        table = elf.get_section_by_name(".symtab")
        if not isinstance(table, SymbolTableSection):
            return (), None
        found: dict[str, _Static] = {}
        anchor = None
        for symbol in table.iter_symbols():
            name = symbol.name
            if name == _ANCHOR:
                anchor = int(symbol["st_value"])
            source_name = name.split(".", 1)[0]  # gcc names a local static "agc.6035"
            if source_name in STATICS and symbol["st_info"]["type"] == "STT_OBJECT":
                if source_name in found:
                    raise ValueError(f"two statics named {source_name}")
                found[source_name] = _Static(source_name, int(symbol["st_value"]),
                                             _initial_bytes(elf, symbol))
        return tuple(found[name] for name in STATICS if name in found), anchor


def _initial_bytes(elf: Any, symbol: Any) -> bytes:
    """The value the loader gives a static: its bytes in ``.data``, zeros in ``.bss``."""
    size = int(symbol["st_size"])
    section = elf.get_section(symbol["st_shndx"])
    if section["sh_type"] == "SHT_NOBITS":
        return bytes(size)
    start = int(symbol["st_value"]) - int(section["sh_addr"])
    return bytes(section.data()[start : start + size])
