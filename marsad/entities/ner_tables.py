"""Arabic word tables of the NER features (marsad/entities/ner_features.py): word clusters learnt from unlabelled
text (marsad/train/clusters.py) and word frequencies (marsad/train/freq.py), each with its lookup key.

Environment: MARSAD_CLUSTERS_AR (files separated by os.pathsep) and MARSAD_FREQ_AR name tables to use instead
of the shipped ones; they are read when a table is first needed.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from marsad.config import environment
from marsad.entities.arabic_words import _ar_parts, _ar_tools

MODELS = Path(__file__).resolve().parent.parent / "models"


def cluster_key(w: str) -> str:
    """The form under which a word is looked up in the clusters file: normalised, proclitics and article
    removed, digits as 0 (marsad/train/clusters.py counts words in this form)."""
    return re.sub(r"\d", "0", _ar_parts(w)[1])


# ---------------------------------------------------------------- word clusters (unlabelled text)
CLUSTER_PREFIXES = (4, 6, 10, 14)  # bit-string prefixes used as features, plus the whole path


def clusters_paths(lang: str) -> list[Path]:
    """The shipped clusters files (Brown, then word2vec), or the ones named by MARSAD_CLUSTERS_<LANG>
    (os.pathsep between; e.g. to cross-validate other clusters)."""
    override = environment(f"MARSAD_CLUSTERS_{lang.upper()}")
    if override:
        return [Path(p) for p in override.split(os.pathsep) if p]
    return [MODELS / f"clusters-{lang}.tsv", MODELS / f"clusters-{lang}-w2v.tsv"]


def _clusters(lang: str) -> tuple[dict[str, str], ...]:
    """Per clusters file: cluster_key(word) -> cluster bit string (marsad/train/clusters.py); missing
    files are left out. The files are looked up at each call, each set of them read once."""
    return _clusters_in(tuple(clusters_paths(lang)))


@functools.cache
def _clusters_in(paths: tuple[Path, ...]) -> tuple[dict[str, str], ...]:
    out = []
    for path in paths:
        if not path.exists():
            continue
        table = {}
        for ln in path.read_text(encoding="utf-8").splitlines():
            bits, word, *_ = ln.split("\t")
            table[word] = bits
        out.append(table)
    return tuple(out)


def _cluster_features(tokens: list[str]) -> list[list[str]]:
    """The token's cluster path at a few granularities, and the neighbours' (coarser) paths."""
    keys = [cluster_key(w) for w in tokens]
    out = [[] for _ in tokens]
    for t, table in enumerate(_clusters("ar")):
        name = "bc" if t == 0 else f"bc{t}_"
        paths = [table.get(k) for k in keys]
        for i, c in enumerate(paths):
            f = out[i]
            if c is not None:
                f.append(f"{name}={c}")
                f.extend(f"{name}{k}={c[:k]}" for k in CLUSTER_PREFIXES if len(c) > k)
            for d in (-1, 1):
                j = i + d
                if 0 <= j < len(paths) and paths[j] is not None:
                    f.append(f"{d}{name}={paths[j]}")
                    f.append(f"{d}{name}6={paths[j][:6]}")
    return out


# ---------------------------------------------------------------- word frequencies (wordfreq)
@functools.lru_cache(maxsize=1 << 16)  # a word per token, and words repeat: fold each once
def freq_key(w: str) -> str:
    """The form under which a word is looked up in the frequency table (marsad/train/freq.py)."""
    return re.sub(r"\d", "0", _ar_tools()[0](w))


def freq_path(lang: str) -> Path:
    override = environment(f"MARSAD_FREQ_{lang.upper()}")
    return Path(override) if override else MODELS / f"freq-{lang}.tsv"


def _freqs(lang: str) -> dict[str, int]:
    """freq_key(word) -> Zipf frequency x10; {} without a table. The table is looked up at each call, read once."""
    return _freqs_in(freq_path(lang))


def word_zipf(surface: str, lang: str = "ar") -> float | None:
    """How common a phrase is as words of `lang`: the Zipf frequency of its rarest word, each word taken as written
    or without its proclitics; None without a table or when a word is not listed."""
    table = _freqs(lang)
    if not table:
        return None
    zs = []
    for w in surface.split():
        n, core, _ = _ar_parts(w)
        z = max((table.get(freq_key(f), -1) for f in (n, core)), default=-1)
        if z < 0:
            return None
        zs.append(z / 10)
    return min(zs) if zs else None


@functools.cache
def _freqs_in(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    out = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        word, z = ln.split("\t")[:2]
        out[word] = int(z)
    return out


def _freq_features(tokens: list[str]) -> list[list[str]]:
    """How common the word is (Zipf bins of the word and of its core), and how much more common its
    core is with the article ال than without (names rarely take it)."""
    table = _freqs("ar")
    out = []
    for w in tokens:
        n, core, _ = _ar_parts(w)
        zn = table.get(freq_key(n))
        zc = table.get(freq_key(core))
        f = [f"zf={zn // 5 if zn is not None else 'none'}", f"zc={zc // 5 if zc is not None else 'none'}"]
        if zc is not None and not core.startswith("ال"):
            za = table.get(freq_key("ال" + core))
            d = "none" if za is None else max(-3, min(2, round((za - zc) / 10)))
            f.append(f"zart={d}")
        out.append(f)
    return out
