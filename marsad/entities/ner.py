"""Named-entity recognition (PER / ORG / LOC / MISC) for English and Arabic with a linear-chain CRF.

Models are CRFsuite files trained by `marsad train ner` (marsad/train/ner.py) and shipped in
marsad/models/ner-<lang>.crfsuite; their cards (ner-<lang>.md) give data, licence and figures.  A CRF was
picked over a spaCy blank-model NER by measurement: on the same ANERcorp fold the CRF scored F1 0.66 and
spaCy (8 epochs, 3.5 min) 0.58; the CRF also tags ~15-25k words/s and its model files are 2-5 MB.

The feature functions below are used both at training and at run time, so they live here, next to the
tagger; changing them means retraining both models.  Besides word, affix and context features they use the
project's own dictionaries: the actor dictionary (marsad.entities.actors) and the gazetteer (marsad.places)
mark the tokens they match (by actor kind / place class), and for Arabic a list of trigger words
(marsad/lang/ar/ner_triggers.tsv: titles, verbs of speech, place and organisation heads) marks the words
after them.  Editing those data files changes the features a model sees, so retrain after large edits.

Environment: MARSAD_NER_MODEL_AR / MARSAD_NER_MODEL_EN name a CRFsuite file to use instead of the shipped
model (e.g. a cross-validation fold model written by `marsad train ner --cv 5 --folds-dir DIR`, so that the
official scorer can run the whole pipeline per fold); it is read when the tagger is first needed.  A
second-pass model next to it (ner-ar.2.crfsuite, fold1.2.crfsuite) is used after it (ner_stack.py).
MARSAD_CLUSTERS_AR (files separated by os.pathsep) and MARSAD_FREQ_AR do the same for the word tables.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
import unicodedata
from pathlib import Path

from marsad.entities import ner_encoder, ner_stack
from marsad.entities.arabic_words import _ar_parts, _ar_tools  # noqa: F401 (also read as ner._ar_parts)
from marsad.per_thread import per_thread
from marsad.entities.tokens import tokenize

MODELS = Path(__file__).resolve().parent.parent / "models"
LANGS = ("ar", "en")
TYPES = ("PER", "ORG", "LOC", "MISC")


# ---------------------------------------------------------------- word-level helpers
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def _norm_en(w: str) -> str:
    # Curly quotes and dashes as the ASCII forms CoNLL uses; digits collapsed so numbers share weights.
    return re.sub(r"\d", "0", w.translate(_QUOTES))


@functools.lru_cache(maxsize=200_000)
def _shape(w: str) -> str:
    out = []
    for ch in w:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _short_shape(w: str) -> str:
    # Runs collapsed: "McDonald" -> "XxXx", "U.S." -> "X.X."
    return re.sub(r"(.)\1+", r"\1", _shape(w))


def _is_punct(w: str) -> bool:
    return all(unicodedata.category(c).startswith("P") or unicodedata.category(c).startswith("S") for c in w)


@functools.lru_cache(maxsize=200_000)
def _en_word(w: str) -> tuple[str, ...]:
    """Per-token English features that do not depend on context (cached per word type)."""
    n = _norm_en(w)
    lo = n.lower()
    f = [f"w={n}", f"lo={lo}", f"sh={_shape(n)[:12]}", f"ss={_short_shape(n)}"]
    for k in range(1, 5):
        if len(lo) > k:
            f.append(f"p{k}={lo[:k]}")
            f.append(f"s{k}={lo[-k:]}")
    if n[:1].isupper():
        f.append("title")
    if n.isupper() and any(c.isalpha() for c in n):
        f.append("upper")
    if n.islower():
        f.append("lower")
    if any(c.isdigit() for c in n):
        f.append("digit")
    if "-" in n:
        f.append("hyphen")
    if "." in n:
        f.append("dot")
    if _is_punct(n):
        f.append("punct")
    f.append(f"len={min(len(n), 8)}")
    return tuple(f)


def _en_ctx(w: str) -> tuple[str, str, str]:
    n = _norm_en(w)
    return n.lower(), _short_shape(n), "T" if n[:1].isupper() else "l"


def features_en(tokens: list[str], doc_lower: frozenset[str] = frozenset()) -> list[list[str]]:
    """CRF attributes per token.  `doc_lower`: words seen in lower case elsewhere in the document, which
    tells a capitalised sentence-initial common word ("Rebels") from a name ("Assad")."""
    ctx = [_en_ctx(w) for w in tokens]
    letters = [c for w in tokens for c in w if c.isalpha()]
    # Headlines and datelines in capitals: word identity matters more than case there.
    caps = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    out = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        f = ["b", *_en_word(w)]
        lo, ss, t = ctx[i]
        if caps:
            f.append("caps_sent")
            f.append(f"caps_lo={lo}")
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        if t == "T" and lo in doc_lower:
            f.append("doc_lower")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                plo, pss, pt = ctx[j]
                f.append(f"{d}lo={plo}")
                f.append(f"{d}ss={pss}")
                if abs(d) == 1:
                    f.append(f"{d}t={pt}")
                    f.append(f"{d}s3={plo[-3:]}")
            else:
                f.append(f"{d}pad")
        f.append(f"-1lo|lo={ctx[i - 1][0] if i else '^'}|{lo}")
        f.append(f"lo|+1lo={lo}|{ctx[i + 1][0] if i + 1 < n else '$'}")
        f.append(f"ss3={ctx[i - 1][1] if i else '^'}|{ss}|{ctx[i + 1][1] if i + 1 < n else '$'}")
        out.append(f)
    return out


# ---------------------------------------------------------------- Arabic
# (_ar_tools, _ar_parts: marsad/entities/arabic_words.py, shared with ner_stack.py)
def cluster_key(w: str) -> str:
    """The form under which a word is looked up in the clusters file: normalised, proclitics and article
    removed, digits as 0 (marsad/train/clusters.py counts words in this form)."""
    return re.sub(r"\d", "0", _ar_parts(w)[1])


@functools.lru_cache(maxsize=200_000)
def _ar_word(w: str) -> tuple[str, ...]:
    n, core, st = _ar_parts(w)
    f = [f"w={n}", f"core={core}", f"st={st}"]
    for k in range(1, 4):
        if len(n) > k:
            f.append(f"p{k}={n[:k]}")
    for k in range(1, 5):
        if len(n) > k:
            f.append(f"s{k}={n[-k:]}")
    if len(core) > 2:
        f.append(f"cs2={core[-2:]}")
        f.append(f"cp2={core[:2]}")
    if n.startswith("ال"):
        f.append("al")
    elif core != n:
        f.append(f"clitic={n[:len(n) - len(core)]}")
    if any("a" <= c.lower() <= "z" for c in n):
        f.append("latin")
    if any(c.isdigit() for c in n):
        f.append("digit")
    if _is_punct(n):
        f.append("punct")
    f.append(f"len={min(len(n), 10)}")
    return tuple(f)


def _doc_contexts(sentences: list[list[str]]) -> dict[str, set[str]]:
    """For each Arabic word (core form), its neighbours' core forms anywhere in the document.

    Arabic has no capitals, so an unseen name ("أينشتاين") is hard to spot alone; but somewhere in the
    article it usually follows a first name or a title ("ألبرت أينشتاين", "العالم أينشتاين").  Sharing
    those contexts across all occurrences lets one clear mention lift the others."""
    ctx: dict[str, set[str]] = {}
    for s in sentences:
        cores = [_ar_parts(w)[1] for w in s]
        for i, c in enumerate(cores):
            if len(c) < 3 or _is_punct(c):
                continue
            bag = ctx.setdefault(c, set())
            if i:
                bag.add("dp=" + cores[i - 1])
            if i + 1 < len(cores):
                bag.add("dn=" + cores[i + 1])
    return ctx


def features_ar(tokens: list[str], doc_ctx: dict[str, set[str]] | None = None) -> list[list[str]]:
    parts = [_ar_parts(w) for w in tokens]
    out = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        f = ["b", *_ar_word(w)]
        if doc_ctx:
            bag = doc_ctx.get(parts[i][1], ())
            if len(bag) <= 24:  # frequent function words have huge bags: no signal, many features
                f.extend(bag)
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                pn, pc, pst = parts[j]
                f.append(f"{d}w={pn}")
                if abs(d) == 1:
                    f.append(f"{d}core={pc}")
                    f.append(f"{d}st={pst}")
                    f.append(f"{d}al={pn.startswith('ال')}")
            else:
                f.append(f"{d}pad")
        f.append(f"-1w|w={parts[i - 1][0] if i else '^'}|{parts[i][0]}")
        f.append(f"w|+1w={parts[i][0]}|{parts[i + 1][0] if i + 1 < n else '$'}")
        out.append(f)
    return out


@functools.cache
def _triggers() -> dict[str, str]:
    """Normalised trigger word -> class (PER / SAY / LOC / ORG), from marsad/lang/ar/ner_triggers.tsv."""
    from marsad import lang

    path = Path(lang.__file__).parent / "ar" / "ner_triggers.tsv"
    out: dict[str, str] = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.startswith("#") or not ln.strip() or ln.startswith("word\t"):
            continue
        word, cls = ln.split("\t")[:2]
        n, core, _ = _ar_parts(word.strip())
        out.setdefault(n, cls.strip())
        out.setdefault(core, cls.strip())
    return out


def _trigger_features(tokens: list[str]) -> list[list[str]]:
    """The word itself, the word before or the one before that is a trigger ("الرئيس", "مدينة", "قال")."""
    trig = _triggers()
    cls = []
    for w in tokens:
        n, core, _ = _ar_parts(w)
        cls.append(trig.get(n) or trig.get(core))
    out = []
    for i in range(len(tokens)):
        f = []
        if cls[i]:
            f.append(f"trig={cls[i]}")
        if i and cls[i - 1]:
            f.append(f"-1trig={cls[i - 1]}")
        if i > 1 and cls[i - 2]:
            f.append(f"-2trig={cls[i - 2]}")
        out.append(f)
    return out


# ---------------------------------------------------------------- word clusters (unlabelled text)
CLUSTER_PREFIXES = (4, 6, 10, 14)  # bit-string prefixes used as features, plus the whole path


def clusters_paths(lang: str) -> list[Path]:
    """The shipped clusters files (Brown, then word2vec), or the ones named by MARSAD_CLUSTERS_<LANG>
    (os.pathsep between; e.g. to cross-validate other clusters)."""
    override = os.environ.get(f"MARSAD_CLUSTERS_{lang.upper()}")
    if override:
        return [Path(p) for p in override.split(os.pathsep) if p]
    return [MODELS / f"clusters-{lang}.tsv", MODELS / f"clusters-{lang}-w2v.tsv"]


@functools.cache
def _clusters(lang: str) -> tuple[dict[str, str], ...]:
    """Per clusters file: cluster_key(word) -> cluster bit string (marsad/train/clusters.py); missing
    files are left out."""
    out = []
    for path in clusters_paths(lang):
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
    override = os.environ.get(f"MARSAD_FREQ_{lang.upper()}")
    return Path(override) if override else MODELS / f"freq-{lang}.tsv"


@functools.cache
def _freqs(lang: str) -> dict[str, int]:
    """freq_key(word) -> Zipf frequency x10; {} without a table."""
    path = freq_path(lang)
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


# ---------------------------------------------------------------- dictionary and gazetteer features
# Actor kinds (marsad/data/actors) as CRF classes; a label ("regime forces", "الإرهابيين") is its own class.
_ACTOR_CLASS = {"person": "per", "state": "state", "armed_force": "grp", "armed_group": "grp",
                "political_group": "grp", "organization": "org", "media": "org", "other": "oth"}
# Gazetteer feature classes, coarse.
_PLACE_CLASS = {"country": "country", "admin1": "region", "region": "region", "capital": "city", "city": "city",
                "town": "village", "village": "village", "camp": "village"}
BIG_PLACE = 100_000  # population above which a place is "big"
# Languages whose model was trained with these features (changing this means retraining that model).
DICT_FEATURES = {"ar": True, "en": True}
TRIGGER_FEATURES = True  # Arabic trigger words (ner_triggers.tsv); likewise fixed at training time
CLUSTER_FEATURES = True  # Arabic word clusters (clusters-ar*.tsv) when the files are there; likewise fixed
FREQ_FEATURES = True  # Arabic word frequencies (freq-ar.tsv) when the table is there; likewise fixed


def _dict_features(sentences: list[list[str]], inner: dict | None = None) -> list[list[list[str]]]:
    """Per token: does it begin (B) or continue (I) a match of the actor dictionary (by actor kind, or a
    label) or of the gazetteer (with the best candidate's coarse feature class and size)?

    Matching runs over the document text rebuilt from the tokens (tokens joined by spaces, sentences by
    newlines), the same at training and at run time, and the character spans are mapped back onto the
    tokens; the actor dictionary and the gazetteer were built independently of the NER corpora.
    `inner`, if given, receives (sentence, token) -> offset of a match that starts inside that token, after
    an Arabic proclitic ("بريف دمشق": the match is "ريف دمشق", offset 1)."""
    from marsad import places
    from marsad.entities import actors
    from marsad.places import gazetteer

    out: list[list[list[str]]] = [[[] for _ in s] for s in sentences]
    starts, where, pos = [], [], 0
    lines = []
    for si, s in enumerate(sentences):
        for ti, w in enumerate(s):
            starts.append(pos)
            where.append((si, ti, pos + len(w)))
            pos += len(w) + 1
        lines.append(" ".join(s))
        pos += 0 if s else 1
    text = "\n".join(lines)
    if not text.strip():
        return out

    def mark(start: int, end: int, feats: list[str]) -> None:
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        first = True
        while k < len(starts) and starts[k] < end:
            si, ti, tend = where[k]
            if tend > start:
                if first and inner is not None and start > starts[k]:
                    inner.setdefault((si, ti), start - starts[k])
                pre = "B" if first else "I"
                out[si][ti].extend(f"{pre}{f}" for f in feats)
                first = False
            k += 1

    book = actors.load()
    for m in book.match(text):
        a = book.actors.get(m.get("entity", ""))
        cls = "lab" if m.get("label") else _ACTOR_CLASS.get(a.kind if a else "", "oth")
        mark(m["start"], m["end"], [f"ac={cls}", "dict"])
    gz = gazetteer.load()
    for m in places.match(text):
        p = gz.places.get(m["candidates"][0]) if m.get("candidates") else None
        feats = ["gz", "dict"]
        if p is not None:
            feats.append(f"gzf={_PLACE_CLASS.get(p.feature, 'other')}")
            if p.population >= BIG_PLACE or p.feature in ("country", "admin1", "capital"):
                feats.append("gzbig")
        mark(m["start"], m["end"], feats)
    # Neighbours' matches: "in <place>", "<person> said".
    for s in out:
        own = [[f for f in fs if f.startswith("B") and not f.endswith("dict")] or
               ([f for f in fs if f.startswith("I") and not f.endswith("dict")][:1]) for fs in s]
        for i, fs in enumerate(s):
            if i and own[i - 1]:
                fs.extend(f"-1{f[1:]}" for f in own[i - 1])
            if i + 1 < len(s) and own[i + 1]:
                fs.extend(f"+1{f[1:]}" for f in own[i + 1])
    return out


def featurize(lang: str, sentences: list[list[str]], inner: dict | None = None) -> list[list[list[str]]]:
    """Features for the sentences of one document (document context for the English case cue).
    `inner`: see _dict_features."""
    if lang == "en":
        doc_lower = frozenset(_norm_en(w) for s in sentences for k, w in enumerate(s) if k and w.islower())
        feats = [features_en(s, doc_lower) for s in sentences]
    else:
        doc_ctx = _doc_contexts(sentences)
        feats = [features_ar(s, doc_ctx) for s in sentences]
        if TRIGGER_FEATURES:
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _trigger_features(s)):
                    f.extend(extra)
        if CLUSTER_FEATURES and _clusters("ar"):
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _cluster_features(s)):
                    f.extend(extra)
        if FREQ_FEATURES and _freqs("ar"):
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _freq_features(s)):
                    f.extend(extra)
    if DICT_FEATURES.get(lang):
        for fs, extra_s in zip(feats, _dict_features(sentences, inner)):
            for f, extra in zip(fs, extra_s):
                f.extend(extra)
    return feats


# ---------------------------------------------------------------- tagging
def model_path(lang: str) -> Path:
    """The shipped model, or the file named by MARSAD_NER_MODEL_<LANG> (e.g. MARSAD_NER_MODEL_AR)."""
    override = os.environ.get(f"MARSAD_NER_MODEL_{lang.upper()}")
    return Path(override) if override else MODELS / f"ner-{lang}.crfsuite"


@per_thread  # a tagger holds the sequence it is tagging: one per thread (marsad/per_thread.py)
def _tagger(lang: str):
    """One tagger per language per thread; None when the model file is missing."""
    path = model_path(lang)
    if not path.exists():
        return None
    return open_tagger(path)


def open_tagger(path: Path | str):
    """The CRFsuite tagger of this file, with its second pass if there is one (marsad/entities/ner_stack.py)."""
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(str(path))
    second = ner_stack.second_path(path)
    if second.exists():
        t2 = pycrfsuite.Tagger()
        t2.open(str(second))
        return ner_stack.Stacked(t, t2)
    return t


def tag_doc(tagger, lang: str, sentences: list[list[str]], inner: dict | None = None,
            vectors: list | None = None) -> list[list[tuple[str, float]]]:
    """(IOB2 tag, marginal probability) per token, per sentence.  `inner`: see _dict_features.
    `vectors`: per sentence the standardised encoder vectors of its tokens, for a model trained with them
    (ner_encoder); the lexical attributes are the same as the fast model's."""
    out = []
    feats_doc = featurize(lang, sentences, inner)
    if vectors is not None:  # one sentence's items at a time: a token's is a dict of ~400 values
        feats_doc = (ner_encoder.attributes(f, v) for f, v in zip(feats_doc, vectors))
    if isinstance(tagger, ner_stack.Stacked):
        feats_doc = ner_stack.label_features(sentences, list(feats_doc), tagger.first)
        tagger = tagger.second
    for toks, feats in zip(sentences, feats_doc):
        if not toks:
            out.append([])
            continue
        tags = tagger.tag(feats)
        out.append([(y, tagger.marginal(y, i)) for i, y in enumerate(tags)])
    return out


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """Chunks [(first, last+1, type)] from IOB tags (a stray I- opens a chunk, as in conlleval)."""
    out, start, cur = [], 0, None
    for i, y in enumerate([*tags, "O"]):
        p, _, t = y.partition("-")
        if cur is not None and (p != "I" or t != cur):
            out.append((start, i, cur))
            cur = None
        if p in ("B", "I") and cur is None:
            start, cur = i, t
    return out


def predict_with(tagger, text: str, sentences: list[tuple[int, int]], lang: str, vectors=None) -> list[dict]:
    """Mentions from `tagger`. `vectors(i, token_spans)`: the standardised encoder vectors of sentence i's
    tokens, for a tagger trained with them (an encoder model); None for a fast model."""
    if tagger is None or not text:
        return []
    spans = [tokenize(text, s, e) for s, e in sentences]
    toks = [[text[a:b] for a, b in sp] for sp in spans]
    per_sentence = [vectors(i, sp) for i, sp in enumerate(spans)] if vectors is not None else None
    mentions = []
    inner: dict[tuple[int, int], int] = {}
    from marsad.lang import get as get_language
    proclitics = get_language(lang).traits.proclitics  # glued to the name the tagger marks with it
    for si, (sp, tagged) in enumerate(zip(spans, tag_doc(tagger, lang, toks, inner, per_sentence))):
        for a, b, t in spans_of([y for y, _ in tagged]):
            conf = sum(p for _, p in tagged[a:b]) / (b - a)
            start = sp[a][0]
            # ANERcorp tags whole tokens, proclitics included ("وكفر حور"); where the dictionary or the
            # gazetteer knows the name behind the proclitic, the mention starts at the name.
            cut = inner.get((si, a), 0) if proclitics else 0
            if 0 < cut <= 3 and start + cut < sp[b - 1][1]:
                start += cut
            mentions.append({"start": start, "end": sp[b - 1][1], "type": t, "confidence": round(conf, 4)})
    return mentions


def predict(text: str, sentences: list[tuple[int, int]], lang: str, encoded=None) -> list[dict]:
    """Entity mentions {start, end, type, confidence} in `text`, found sentence by sentence.

    `sentences`: (start, end) spans of `text`.  Languages other than "ar" and "en" give [].
    `encoded`: the encode stage's states (accurate profile): the language's encoder model tags the
    sentences they cover, the fast model the others (past the encoder's character cap)."""
    if lang not in LANGS or not text:
        return []
    if not sentences:
        sentences = [(0, len(text))]
    accurate = ner_encoder.tagger(lang) if encoded is not None and len(encoded) else None
    if accurate is None:
        return predict_with(_tagger(lang), text, sentences, lang)
    covered_to = encoded.ends[-1]
    inside = [s for s in sentences if s[0] < covered_to]
    outside = [s for s in sentences if s[0] >= covered_to]
    tagger, head = accurate
    mix = ner_encoder.layer_mean(encoded.states, head.layers)

    def vectors(_i, token_spans):
        return head.standardise(ner_encoder.token_vectors(mix, encoded.starts, encoded.ends, token_spans))

    return predict_with(tagger, text, inside, lang, vectors) + predict_with(_tagger(lang), text, outside, lang)
