"""Persuasion techniques: spans of the 23 SemEval-2023 Task 3 / ArAIEval techniques, in English and Arabic.

    detect(text, sentences, lang, min_confidence=0.0) -> [{"technique", "start", "end", "confidence"}]
    score(spans, text) -> float      # the article's persuasion score, 0..1
    counts(spans) -> {technique: n}

Three parts, all trained by `marsad train techniques` (marsad/train/techniques.py) into one bundle per
language, marsad/models/techniques-<lang>.joblib (its card: techniques-<lang>.md):

* a token-level linear-chain CRF (CRFsuite) with technique-specific BIO tags finds the short spans
  (loaded words, labels, doubt markers, repetitions); confidence = the mean marginal of the span's tags;
* a one-vs-rest logistic regression over each sentence (TF-IDF word and character n-grams) finds the
  techniques that annotators mark on whole clauses (fear, flag-waving, causal oversimplification...): where
  its probability passes the technique's threshold the sentence is reported as a span;
* a lexicon per language (marsad/lang/<lang>/persuasion_lexicon.tsv) gives both models features and, for a
  few unambiguous formulae ("anyone who still thinks ... is delusional", "so-called", "المزعوم"), spans;
* where the bundle has one (English since 2026-12-01), a span re-scorer (marsad/techniques/rescore.py) fitted on
  cross-validation candidates decides which of the three parts' proposals are reported.

Even-handedness: the names of parties (actor dictionary, gazetteer, and the lexicon's `group` words such as
regime / rebels / النظام / المعارضة) are masked before any feature is computed, so swapping which side is
named does not change what is detected; pejorative labels in the lexicon are listed for every side.

Environment: MARSAD_TECHNIQUES_MODEL_EN / MARSAD_TECHNIQUES_MODEL_AR name a bundle to use instead of the
shipped one (e.g. a cross-validation fold model written by `marsad train techniques --cv 5 --folds-dir`).
"""
from __future__ import annotations

import bisect
import functools
import os
import re
import threading
import unicodedata
from collections import Counter
from pathlib import Path

from marsad.entities.tokens import tokenize

MODELS = Path(__file__).resolve().parent.parent / "models"
LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
LANGS = ("ar", "en")
TECHNIQUES = (
    "Appeal_to_Authority", "Appeal_to_Fear-Prejudice", "Appeal_to_Hypocrisy", "Appeal_to_Popularity",
    "Appeal_to_Time", "Appeal_to_Values", "Causal_Oversimplification", "Consequential_Oversimplification",
    "Conversation_Killer", "Doubt", "Exaggeration-Minimisation", "False_Dilemma-No_Choice", "Flag_Waving",
    "Guilt_by_Association", "Loaded_Language", "Name_Calling-Labeling", "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation", "Red_Herring", "Repetition", "Slogans", "Straw_Man", "Whataboutism")
_TECH = frozenset(TECHNIQUES)
ANY = "_any"  # the sentence classifier's "any technique" output, where the bundle has one (not a technique)


# ---------------------------------------------------------------- text normalisation
_AR_DIAC = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


@functools.lru_cache(maxsize=300_000)
def norm(w: str, lang: str) -> str:
    if lang == "ar":
        return _AR_DIAC.sub("", w).translate(_AR_MAP)
    return re.sub(r"\d", "0", w.translate(_QUOTES).lower())


@functools.lru_cache(maxsize=300_000)
def _ar_bare(w: str) -> str:
    """An Arabic word without one leading clitic group (for matching, not for display)."""
    for p in _AR_PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p):]
    return w


# ---------------------------------------------------------------- lexicon
class Lexicon:
    def __init__(self, lang: str, rows: list[tuple[str, str, str, float | None]]):
        self.lang = lang
        self.words: dict[str, tuple[str, str, float | None]] = {}    # normalised word -> (cat, tech, emit)
        self.stars: list[tuple[str, tuple[str, str, float | None]]] = []
        self.phrases: dict[tuple[str, ...], tuple[str, str, float | None]] = {}
        self.regexes: list[tuple[re.Pattern, str, str, float | None]] = []
        for entry, cat, tech, emit in rows:
            val = (cat, tech if tech in _TECH else "-", emit)
            if entry.startswith("re:"):
                self.regexes.append((re.compile(entry[3:], re.I), cat, val[1], emit))
            elif " " in entry.strip():
                self.phrases[tuple(norm(w, lang) for w in entry.split())] = val
            elif entry.endswith("*"):
                self.stars.append((norm(entry[:-1], lang), val))
            else:
                self.words[norm(entry, lang)] = val
        self.max_phrase = max((len(p) for p in self.phrases), default=0)

    @functools.lru_cache(maxsize=200_000)
    def word(self, n: str):
        """(category, technique, emit) of a normalised word, or None."""
        cands = [n]
        if self.lang == "ar":
            b = _ar_bare(n)
            if b != n:
                cands.append(b)
                if not b.startswith("ال"):
                    cands.append("ال" + b)
        for c in cands:
            if c in self.words:
                return self.words[c]
        for c in cands:
            for stem, val in self.stars:
                if c.startswith(stem) and len(c) <= len(stem) + 4:
                    return val
        return None

    def __hash__(self):
        return id(self)


def _read_lexicon(path: Path) -> list[tuple[str, str, str, float | None]]:
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if cols[0] == "entry" or len(cols) < 3:
            continue
        emit = float(cols[3]) if len(cols) > 3 and cols[3].strip() else None
        rows.append((cols[0], cols[1], cols[2], emit))
    return rows


@functools.cache
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang, _read_lexicon(LANG_DIR / lang / "persuasion_lexicon.tsv"))


# ---------------------------------------------------------------- tokens and features
def _mask_spans(text: str, lang: str) -> list[tuple[int, int, str]]:
    """Character spans of party names (actors that are not themselves labels, and places): masked, all
    alike (one placeholder for any actor or place, so no side is told apart from another)."""
    out = []
    try:
        from marsad import places
        from marsad.entities import actors

        for m in actors.match(text):
            if m.get("stance") == "pejorative" or m.get("label"):
                continue  # a label ("thugs", "ميليشيات النظام") is itself the rhetoric: never masked
            out.append((m["start"], m["end"], "NAME"))
        for m in places.match(text):
            out.append((m["start"], m["end"], "NAME"))
    except Exception:  # dictionaries unavailable: no masking beyond the lexicon's group words
        pass
    return out


_CONTENT = re.compile(r"\w{4,}")
_OPEN_Q = "“\"«‘"
_CLOSE_Q = {"“": "”", "\"": "\"", "«": "»", "‘": "’"}


def _quote_regions(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    i = a
    while i < b:
        ch = text[i]
        if ch in _OPEN_Q and (ch != "‘" or i == a or not text[i - 1].isalnum()):
            close = _CLOSE_Q[ch]
            j = text.find(close, i + 1, b)
            if j > i:
                out.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


class Doc:
    """A text cut into sentences of tokens, with per-token features (shared by training and detection)."""

    def __init__(self, text: str, sentences: list[tuple[int, int]], lang: str, one_token_names: bool = True):
        """one_token_names: each masked name is ONE token (bundles trained since 2026-12-01 say so in their
        config; older bundles were trained with a placeholder per word of the name and keep that)."""
        self.text, self.lang, self.one_token_names = text, lang, one_token_names
        self.sentences = [(a, b) for a, b in sentences if b > a]
        self.tokens, self.masks = [], []
        masks = sorted(_mask_spans(text, lang))
        for a, b in self.sentences:
            toks, ms = _merge_masked(text, tokenize(text, a, b), masks, lang, one_token_names)
            self.tokens.append(toks)
            self.masks.append(ms)
        self._feats = None

    # Features are computed once, lazily.
    @property
    def features(self) -> list[list[list[str]]]:
        if self._feats is None:
            self._feats = _featurize(self)
        return self._feats


def _merge_masked(text: str, toks: list[tuple[int, int]], masks, lang: str, merge: bool = True):
    """The tokens with each run of masked tokens (a party name, a group word, a possessive after either)
    joined into ONE token, and each token's mask (None or "NAME"): a name is one placeholder whatever its
    length ("the <NAME>" for "the Syrian army" and "the Free Syrian Army" alike), so the CRF and the
    sentence classifier see the same thing whichever side is named (even-handedness)."""
    lex = lexicon(lang)
    mstarts = [m[0] for m in masks]

    def masked(s: int, e: int):
        k = bisect.bisect_right(mstarts, s) - 1
        for j in (k, k + 1):
            if 0 <= j < len(masks) and masks[j][0] < e and s < masks[j][1]:
                return masks[j][2]
        return None

    out_t: list[tuple[int, int]] = []
    out_m: list[str | None] = []
    out_lx: list[str | None] = []
    for s, e in toks:
        nw = norm(text[s:e], lang)
        m = masked(s, e)
        lx = lex.word(nw)
        if m is None and lx and lx[0] == "group":
            m = "NAME"
        if m is None and out_m and out_m[-1] and nw in ("'s", "'"):
            m = "NAME"  # "the regime's" / "the rebels'": the possessive goes with the masked name
        if not merge:
            out_t.append((s, e))
            out_m.append(m)
        elif m and out_m and out_m[-1] == m:
            out_t[-1] = (out_t[-1][0], e)
        elif m and out_m and out_m[-1] is None and out_lx[-1] == "article":
            out_t[-1] = (out_t[-1][0], e)  # "the" goes with the name, whether or not the dictionary has it
            out_m[-1] = m
        else:
            out_t.append((s, e))
            out_m.append(m)
            out_lx.append(lx[0] if lx else None)
    return out_t, out_m


def _featurize(doc: Doc) -> list[list[list[str]]]:
    text, lang = doc.text, doc.lang
    lex = lexicon(lang)

    # document word counts for Repetition
    counts = Counter(norm(w, lang) if lang == "en" else _ar_bare(norm(w, lang)) for w in _CONTENT.findall(text))
    out = []
    for (sa, sb), toks, tmask in zip(doc.sentences, doc.tokens, doc.masks):
        stext = text[sa:sb]
        n = len(toks)
        words = []
        for (s, e), m in zip(toks, tmask):
            w = text[s:e]
            nw = norm(w, lang)
            words.append((w, nw, m, None if m and doc.one_token_names else lex.word(nw)))
        # multi-word lexicon phrases and regex patterns mark the tokens they cover
        marks: list[list[str]] = [[] for _ in toks]
        if lex.phrases:
            for i in range(n):
                for L in range(2, min(lex.max_phrase, n - i) + 1):
                    key = tuple(words[i + k][1] for k in range(L))
                    val = lex.phrases.get(key)
                    if val:
                        for k in range(L):
                            marks[i + k].append(f"lx={val[0]}")
        tstarts = [s for s, _ in toks]
        for rx, cat, tech, _emit in lex.regexes:
            for mt in rx.finditer(stext):
                ms, me = sa + mt.start(), sa + mt.end()
                k = max(bisect.bisect_right(tstarts, ms) - 1, 0)
                first = True
                while k < n and toks[k][0] < me:
                    if toks[k][1] > ms:
                        marks[k].append(("B" if first else "I") + f"pat={cat}")
                        first = False
                    k += 1
        quotes = _quote_regions(text, sa, sb)
        qmark = [None] * n
        for qa, qb in quotes:
            lo = bisect.bisect_left(tstarts, qa)
            inside = [i for i in range(lo, n) if toks[i][1] <= qb]
            words_in = [i for i in inside if words[i][0] not in _OPEN_Q and not words[i][0] in _CLOSE_Q.values()]
            kind = "qs" if len(words_in) <= 3 else "ql"
            for i in inside:
                qmark[i] = kind
        last = stext.rstrip()[-1:] if stext.strip() else ""
        skind = "q" if last in "?؟" else "x" if last == "!" else "d"
        feats_s = []
        for i, (w, nw, m, lx) in enumerate(words):
            if m:
                base = f"<{m}>"
                f = ["bias", f"w={base}", "masked"]
            else:
                base = nw if lang == "en" else _ar_bare(nw)
                f = ["bias", f"w={base}"]
                if lang == "en":
                    if len(nw) > 3:
                        f += [f"s3={nw[-3:]}", f"p3={nw[:3]}"]
                    if w.isupper() and len(w) > 1 and any(c.isalpha() for c in w):
                        f.append("caps")
                    if w[:1].isupper():
                        f.append("title")
                else:
                    if len(base) > 3:
                        f += [f"s2={base[-2:]}", f"p2={base[:2]}"]
                    if base != nw:
                        f.append(f"pre={nw[:len(nw) - len(base)]}")
                if all(unicodedata.category(c)[0] in "PS" for c in w):
                    f.append("punct")
                key = nw if lang == "en" else _ar_bare(nw)
                c = counts.get(key, 0)
                if len(key) >= 4 and c >= 2:
                    f.append("rep2" if c < 4 else "rep4")
            if lx and lx[0] not in ("group", "article"):
                f += [f"lx={lx[0]}", f"lt={lx[1]}"]
            f += marks[i]
            if qmark[i]:
                f.append(qmark[i])
            f.append(f"sk={skind}")
            if i == 0:
                f.append("BOS")
            if i == n - 1:
                f.append("EOS")
            f.append(f"rel={min(4, 5 * i // max(n, 1))}")
            f.append(f"len={'s' if n < 10 else 'm' if n < 30 else 'l'}")
            feats_s.append(f)
        # context: neighbours' words and lexicon categories
        ctx = [[f[1]] + [x for x in f if x.startswith(("lx=", "Bpat=", "Ipat=")) or x in ("qs", "ql")]
               for f in feats_s]
        full = []
        for i, f in enumerate(feats_s):
            g = list(f)
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    g.extend([f"{d}{x}" for x in ctx[j]])
            if i > 0:
                g.append(f"bg={feats_s[i - 1][1]}|{f[1]}")
            full.append(g)
        out.append(full)
    return out


# ---------------------------------------------------------------- sentence text for the sentence classifier
def sentence_text(doc: Doc, k: int) -> str:
    """The sentence with party names replaced by placeholders (what the sentence classifier sees)."""
    text, lang = doc.text, doc.lang
    toks = doc.tokens[k]
    feats = doc.features[k]
    parts = []
    for (s, e), f in zip(toks, feats):
        parts.append(f[1][2:] if "masked" in f else norm(text[s:e], lang))
    return " ".join(parts)


_NAME_RUN = re.compile(r"<NAME>(?: <NAME>)+")


def embed_text(sentence: str) -> str:
    """What the sentence embedder sees: sentence_text with each run of name placeholders as one, so that a
    party's name counts the same whatever its length in tokens (even-handedness)."""
    return _NAME_RUN.sub("<NAME>", sentence)


# ---------------------------------------------------------------- the model bundle
def peak_region(toks: list[tuple[int, int]], m: list[float], frac: float) -> tuple[int, int]:
    """(start, end) of the best token by `m` (a technique's marginal per token) and its neighbours whose
    marginal is at least `frac` of that peak (Model.tight_span; the re-scorer passes marginals it has)."""
    i = max(range(len(m)), key=m.__getitem__)
    x = y = i
    while x > 0 and m[x - 1] >= frac * m[i]:
        x -= 1
    while y < len(m) - 1 and m[y + 1] >= frac * m[i]:
        y += 1
    return toks[x][0], toks[y][1]


class Model:
    def __init__(self, bundle: dict):
        import pycrfsuite

        self.bundle = bundle
        self.lang = bundle["lang"]
        self.config = bundle.get("config", {})
        self._local = threading.local()
        self._crf_bytes = bundle.get("crf")
        self.sent = bundle.get("sentence")  # {"vectorizer", "classifiers": {tech: (coef, intercept)}, ...}
        self._pycrfsuite = pycrfsuite

    @property
    def tagger(self):
        t = getattr(self._local, "tagger", None)
        if t is None and self._crf_bytes:
            t = self._pycrfsuite.Tagger()
            t.open_inmemory(self._crf_bytes)
            self._local.tagger = t
        return t

    def crf_spans(self, doc: Doc) -> list[dict]:
        out = []
        tagger = self.tagger
        if tagger is None:
            return out
        for toks, feats in zip(doc.tokens, doc.features):
            if not toks:
                continue
            tags = tagger.tag(feats)
            i = 0
            while i < len(tags):
                t = tags[i]
                if t == "O":
                    i += 1
                    continue
                tech = t[2:]
                j = i + 1
                while j < len(tags) and tags[j] == "I-" + tech:
                    j += 1
                conf = sum(tagger.marginal(tags[k], k) for k in range(i, j)) / (j - i)
                out.append({"technique": tech, "start": toks[i][0], "end": toks[j - 1][1],
                            "confidence": round(conf, 3)})
                i = j
        return out

    def sentence_probs(self, doc: Doc):
        """[(sentence index, {technique: probability})] for the sentence classifier's techniques."""
        if not self.sent or not doc.sentences:
            return []
        import numpy as np

        texts = [sentence_text(doc, k) for k in range(len(doc.sentences))]
        X = self.sent["vectorizer"].transform(texts)
        use_w, doc_w = self.sent.get("use_weight"), self.sent.get("doc_mean_weight")
        if use_w or doc_w:  # trained with sentence vectors (and their article mean) appended (sentence_vectors.py)
            import scipy.sparse as sp

            from marsad.sentence_vectors import DIMENSIONS, document_means, encoder

            enc = encoder()
            V = (enc([embed_text(t) for t in texts]) if enc is not None
                 else np.zeros((len(texts), DIMENSIONS), dtype=np.float32))
            E = ([V * use_w] if use_w else []) + ([document_means(V, [0] * len(V)) * doc_w] if doc_w else [])
            X = sp.hstack([X, sp.csr_matrix(np.hstack(E))]).tocsr()
        W, b, techs = self.sent["W"], self.sent["b"], list(self.sent["techniques"])
        if self.sent.get("any_W") is not None:  # "does the sentence carry any technique" (the re-scorer's)
            W, b, techs = np.vstack([W, self.sent["any_W"]]), np.append(b, self.sent["any_b"]), techs + [ANY]
        z = np.asarray(X @ W.T) + b
        p = 1.0 / (1.0 + np.exp(-z))
        return [(k, dict(zip(techs, row.tolist()))) for k, row in enumerate(p)]

    def tight_span(self, doc: Doc, k: int, tech: str, frac: float) -> tuple[int, int]:
        """The part of sentence k where the CRF's marginal of `tech` (B or I) peaks: the best token and its
        neighbours whose marginal is at least `frac` of the peak; the whole sentence without a CRF tag."""
        toks, tagger = doc.tokens[k], self.tagger
        labels = set(tagger.labels()) if tagger is not None else set()
        if not toks or "B-" + tech not in labels:
            return doc.sentences[k]
        tagger.set(doc.features[k])
        has_i = "I-" + tech in labels
        m = [max(tagger.marginal("B-" + tech, i), tagger.marginal("I-" + tech, i) if has_i else 0.0)
             for i in range(len(toks))]
        return peak_region(toks, m, frac)

    def detect(self, doc: Doc) -> list[dict]:
        if self.bundle.get("rescore"):  # a second model picks among every part's candidates
            from marsad.techniques import rescore

            return rescore.apply(self, doc)
        spans = [s for s in self.crf_spans(doc) if s["technique"] in _TECH]
        thr = self.sent.get("thresholds", {}) if self.sent else {}
        mode = self.config.get("sentence_mode", "long")
        long_set = set(self.config.get("sentence_techniques", []))
        tight = self.config.get("tight_frac")  # short techniques: the CRF's best region, not the sentence
        for k, probs in self.sentence_probs(doc):
            a, b = doc.sentences[k]
            for tech, p in probs.items():
                if tech not in _TECH or p < thr.get(tech, 0.5):
                    continue
                if tech not in long_set:
                    if mode != "all":
                        continue
                    # a short technique: only when the CRF found none of it in this sentence
                    if any(s["technique"] == tech and s["start"] < b and a < s["end"] for s in spans):
                        continue
                    if tight is not None:
                        a, b = self.tight_span(doc, k, tech, tight)
                spans.append({"technique": tech, "start": a, "end": b, "confidence": round(p, 3)})
        spans.extend(rule_spans(doc, spans))
        return spans


def rule_spans(doc: Doc, found: list[dict]) -> list[dict]:
    """Spans of the lexicon entries that carry an `emit` confidence, where no same-technique span overlaps."""
    lex = lexicon(doc.lang)
    text = doc.text
    out = []

    def add(tech, s, e, conf):
        if any(x["technique"] == tech and x["start"] < e and s < x["end"] for x in found + out):
            return
        out.append({"technique": tech, "start": s, "end": e, "confidence": conf})

    for (sa, sb), toks, feats in zip(doc.sentences, doc.tokens, doc.features):
        stext = text[sa:sb]
        for rx, _cat, tech, emit in lex.regexes:
            if emit is None or tech == "-":
                continue
            for mt in rx.finditer(stext):
                s, e = sa + mt.start(), sa + mt.end()
                while s < e and text[s].isspace():
                    s += 1
                add(tech, s, e, emit)
        for (s, e), f in zip(toks, feats):
            if "masked" in f:
                continue
            lx = lex.word(norm(text[s:e], doc.lang))
            if lx and lx[2] is not None and lx[1] != "-":
                add(lx[1], s, e, lx[2])
    return out


def model_path(lang: str) -> Path:
    env = os.environ.get(f"MARSAD_TECHNIQUES_MODEL_{lang.upper()}")
    return Path(env) if env else MODELS / f"techniques-{lang}.joblib"


_LOCK = threading.Lock()


@functools.cache
def _model(lang: str) -> Model | None:
    path = model_path(lang)
    if not path.exists():
        return None
    import joblib
    import numpy
    import sklearn

    from marsad import cache

    with _LOCK:  # read once from the joblib file, then from a plain pickle (marsad/cache.py: 10x faster)
        bundle_key = cache.key([path], [sklearn.__version__, numpy.__version__, joblib.__version__])
        return Model(cache.pickled(f"techniques-{lang}", bundle_key, lambda: joblib.load(path)))


def load(lang: str) -> Model | None:
    """The model of a language (loaded once per process), or None when there is none."""
    return _model(lang) if lang in LANGS else None


# ---------------------------------------------------------------- public API
def detect(text: str, sentences: list[tuple[int, int]], lang: str, min_confidence: float = 0.0) -> list[dict]:
    """Technique spans `{technique, start, end, confidence}` in `text` (offsets into it, end exclusive),
    sorted by position; only those with confidence >= min_confidence."""
    if lang not in LANGS or not text.strip():
        return []
    if not sentences:
        sentences = [(0, len(text))]
    model = load(lang)
    doc = Doc(text, sentences, lang, one_token_names=model.config.get("one_token_names", False) if model else True)
    spans = model.detect(doc) if model else rule_spans(doc, [])
    seen = set()
    out = []
    for s in sorted(spans, key=lambda x: (x["start"], x["end"], x["technique"])):
        key = (s["technique"], s["start"], s["end"])
        if key in seen or s["confidence"] < min_confidence or not (0 <= s["start"] < s["end"] <= len(text)):
            continue
        seen.add(key)
        out.append({"technique": s["technique"], "start": s["start"], "end": s["end"],
                    "confidence": round(float(s["confidence"]), 3)})
    return out


def score(spans: list[dict], text: str) -> float:
    """The article's persuasion score, 0..1: the share of its non-space characters inside technique spans,
    each character weighted by the highest confidence of the spans covering it."""
    if not text:
        return 0.0
    weight = [0.0] * len(text)
    for s in spans:
        c = float(s.get("confidence", 1.0))
        for i in range(max(0, s["start"]), min(len(text), s["end"])):
            if c > weight[i]:
                weight[i] = c
    chars = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not chars:
        return 0.0
    return round(min(1.0, sum(weight[i] for i in chars) / len(chars)), 4)


def counts(spans: list[dict]) -> dict[str, int]:
    """Number of spans per technique (techniques with none left out), most frequent first."""
    c = Counter(s["technique"] for s in spans)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


__all__ = ["detect", "score", "counts", "TECHNIQUES", "load", "model_path"]
