"""Settings: defaults live in settings.toml beside this file; callers override per call.

The environment variables that override where marsad finds its files are read here only (`environment`), each
time they are asked for. A loader that caches what it loads keys its cache on the path an override resolved to,
not on the language, so a run or a test that sets a variable sees it without clearing any cache.
"""
from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

# Every environment variable marsad reads (<LANG>: a language code in capitals, e.g. MARSAD_NER_MODEL_AR).
ENVIRONMENT = {
    "MARSAD_DB": "the corpus when --db is not given (a SQLite file or a postgresql:// URL)",
    "MARSAD_TOKEN": "the web app's access token when --token is not given",
    "MARSAD_LANG_PATH": "more language folders, os.pathsep between (marsad/lang)",
    "MARSAD_NER_MODEL_<LANG>": "a CRFsuite NER model instead of the shipped one (marsad/entities/ner.py)",
    "MARSAD_NER_E5_MODEL_<LANG>": "an encoder NER model instead of the shipped one (marsad/entities/ner_encoder.py)",
    "MARSAD_CLUSTERS_<LANG>": "word-cluster files, os.pathsep between, instead of the shipped ones (ner_tables.py)",
    "MARSAD_FREQ_<LANG>": "a word-frequency table instead of the shipped one (marsad/entities/ner_tables.py)",
    "MARSAD_TECHNIQUES_MODEL_<LANG>": "a technique bundle instead of the shipped one (marsad/techniques/model.py)",
    "MARSAD_TECHNIQUES_E5_MODEL_<LANG>": "an encoder technique bundle (accurate profile) instead of the shipped one "
                                         "(marsad/techniques/model.py)",
    "MARSAD_ROLES_MODEL": "a role tagger instead of the shipped one, or 'none' for the rules alone "
                          "(marsad/events/roles.py)",
    "MARSAD_CACHE_DIR": "the folder of built-object pickles (marsad/cache.py)",
    "MARSAD_NO_CACHE": "set: no pickle cache (marsad/cache.py)",
    "XDG_CACHE_HOME": "where the pickle cache folder goes when MARSAD_CACHE_DIR is not set",
}


@functools.cache
def settings() -> dict:
    return tomllib.loads((Path(__file__).parent / "settings.toml").read_text(encoding="utf-8"))


def environment(name: str) -> str | None:
    """The value of environment variable `name`, or None when it is unset or empty. A name that ENVIRONMENT does
    not list is a KeyError, so that the list stays the whole of what marsad reads."""
    if name not in ENVIRONMENT and f"{name.rsplit('_', 1)[0]}_<LANG>" not in ENVIRONMENT:
        raise KeyError(f"{name} is not an environment variable marsad reads (marsad/config.py ENVIRONMENT)")
    return os.environ.get(name) or None
