"""An Arabic word's parts as the NER features and the second pass read them: its normalised form, the form
without proclitics and article, and its Snowball stem. Apart from ner.py so that ner_stack.py, which ner.py
imports, can use them without importing ner.py back."""
from __future__ import annotations

import functools

from marsad.per_thread import per_thread


@functools.cache
def _prefixes() -> list[str]:
    """The proclitics of lang/ar/clitics.toml, longest first."""
    import tomllib

    from marsad import lang

    try:
        clit = tomllib.loads(lang.data_file("ar", "clitics.toml").read_text(encoding="utf-8"))
        return sorted(clit["prefixes"], key=len, reverse=True)
    except Exception:  # pragma: no cover - fall back to the basic proclitics
        return ["وال", "بال", "فال", "كال", "لل", "و", "ف", "ب", "ل", "ك"]


@per_thread  # the stemmer keeps state while it stems: one per thread (marsad/per_thread.py)
def _ar_tools():
    from marsad import lang

    try:
        import snowballstemmer

        stem = snowballstemmer.stemmer("arabic").stemWord
    except ImportError:  # pragma: no cover - the model card pins snowballstemmer; this keeps tests alive
        def stem(w: str) -> str:
            return w
    return lang.get("ar").normalize, _prefixes(), stem


@functools.lru_cache(maxsize=200_000)
def _ar_parts(w: str) -> tuple[str, str, str]:
    """(normalised form, form without proclitics and article, Snowball stem)."""
    normalize, prefixes, stem = _ar_tools()
    n = normalize(w)
    core = n
    for p in prefixes:
        if n.startswith(p) and len(n) - len(p) >= 2:
            core = n[len(p):]
            break
    if core.startswith("ال") and len(core) > 4:
        core = core[2:]
    return n, core, stem(n)
