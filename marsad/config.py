"""Settings: defaults live in settings.toml beside this file; callers override per call."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path


@functools.cache
def settings() -> dict:
    return tomllib.loads((Path(__file__).parent / "settings.toml").read_text(encoding="utf-8"))
