"""Slow-to-build objects kept as plain pickles in the user's cache folder, keyed by what they are built from.

Loading a model from its shipped form can cost far more than unpickling the built object: the technique
bundles are joblib files (zlib-compressed, read through joblib's pure-Python unpickler: 1.6 s for both on the
reference machine, 0.13 s as plain pickles) and the sentence encoder's tokenizer is parsed by a pure-Python
sentencepiece port (1.1 s, 0.23 s). The first document of every process waits for them (issue 14).

The key hashes the source files' bytes and the versions of Python and of the libraries whose classes the
object holds, so a changed model or upgraded library never meets an old pickle. MARSAD_NO_CACHE=1 turns the
cache off; MARSAD_CACHE_DIR moves it (default $XDG_CACHE_HOME/marsad or ~/.cache/marsad). A cache that cannot
be written (read-only home) only costs the time; a torn or foreign file is rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from .config import environment

T = TypeVar("T")


def folder() -> Path | None:
    if environment("MARSAD_NO_CACHE"):
        return None
    return Path(environment("MARSAD_CACHE_DIR") or
                Path(environment("XDG_CACHE_HOME") or Path.home() / ".cache") / "marsad")


def key(sources: Iterable[Path], versions: Iterable[str] = ()) -> str:
    h = hashlib.sha256(sys.version.encode())
    for v in versions:
        h.update(b"\0" + v.encode())
    for f in sources:
        h.update(b"\0" + f.name.encode() + b"\0" + Path(f).read_bytes())
    return h.hexdigest()[:20]


def pickled(name: str, cache_key: str, build: Callable[[], T]) -> T:
    """`build()`'s result, read from the cache when it holds one for this key, else built and stored."""
    base = folder()
    path = base / f"{name}-{cache_key}.pickle" if base else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # a torn or foreign cache file: rebuild
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old state or the whole file
        except OSError:
            pass
    return value
