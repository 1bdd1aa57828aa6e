"""Tokens and features of a text for the technique models: `Doc` (sentences of tokens, masked party names merged
into one token each, per-token CRF features computed lazily by `_featurize`), `sentence_text` and `embed_text`
(what the sentence classifier and the sentence embedder see) and `peak_region` (the tokens around the peak of a
per-token score, used by Model.tight_span and the re-scorer). Shared by training (marsad/train/techniques.py),
detection (model.py) and the re-scorer (rescore.py).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter

from marsad.entities.tokens import sentence_tokens
from marsad.techniques.encoder_features import crf_items
from marsad.techniques.words import bare, lexicon, name_spans, norm, word_rules

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

    def __init__(self, text: str, sentences: list[tuple[int, int]], lang: str, one_token_names: bool = True,
                 names: list[tuple[int, int, str]] | None = None):
        """one_token_names: each masked name is ONE token (bundles trained since 2026-12-01 say so in their
        config; older bundles were trained with a placeholder per word of the name and keep that).
        names: `name_spans(text, lang)` when the caller has them already (a long document read block by block
        matches its names once, not once per block)."""
        self.text, self.lang, self.one_token_names = text, lang, one_token_names
        self.sentences = [(a, b) for a, b in sentences if b > a]
        self.tokens, self.masks = [], []
        masks = sorted(name_spans(text, lang) if names is None else names)
        starts = [m[0] for m in masks]  # once per document, not per sentence
        for a, b in self.sentences:
            toks, ms = _merge_masked(text, sentence_tokens(text, a, b), masks, lang, one_token_names, starts)
            self.tokens.append(toks)
            self.masks.append(ms)
        self._feats = None
        # the accurate profile (a bundle with an "encoder" part; model.Model.prepare): per sentence the encoder's
        # states (encoder_features.encode, or a training cache's), the CRF's reduced token vectors and the
        # sentence vectors ([n_sentences, H])
        self.encoded = None
        self.crf_vectors = None
        self.sent_vectors = None
        self._items = (None, None)  # (k, sentence k's CRF items): the last sentence's only (bounded memory)

    def crf_items(self, k: int):
        """What the CRF tags in sentence k: the lexical features, and the encoder's values where the model
        reads them (CRFsuite items as dicts)."""
        if self.crf_vectors is None:
            return self.features[k]
        if self._items[0] != k:
            self._items = (k, crf_items(self.features[k], self.crf_vectors[k]))
        return self._items[1]

    # Features are computed once, lazily.
    @property
    def features(self) -> list[list[list[str]]]:
        if self._feats is None:
            self._feats = _featurize(self)
        return self._feats


def _merge_masked(text: str, toks: list[tuple[int, int]], masks, lang: str, merge: bool = True,
                  mask_starts: list[int] | None = None):
    """The tokens with each run of masked tokens (a party name, a group word, a possessive after either)
    joined into ONE token, and each token's mask (None or "NAME"): a name is one placeholder whatever its
    length ("the <NAME>" for "the Syrian army" and "the Free Syrian Army" alike), so the CRF and the
    sentence classifier see the same thing whichever side is named (even-handedness)."""
    lex = lexicon(lang)
    mstarts = [m[0] for m in masks] if mask_starts is None else mask_starts

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
    lex, rules = lexicon(lang), word_rules(lang)

    # document word counts for Repetition
    counts = Counter(bare(norm(w, lang), lang) for w in _CONTENT.findall(text))
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
                base = bare(nw, lang)
                f = ["bias", f"w={base}"]
                if rules.prefixes:  # a language of proclitics: the stem's affixes, and the proclitic taken off
                    if len(base) > 3:
                        f += [f"s2={base[-2:]}", f"p2={base[:2]}"]
                    if base != nw:
                        f.append(f"pre={nw[:len(nw) - len(base)]}")
                else:
                    if len(nw) > 3:
                        f += [f"s3={nw[-3:]}", f"p3={nw[:3]}"]
                    if rules.cased:
                        if w.isupper() and len(w) > 1 and any(c.isalpha() for c in w):
                            f.append("caps")
                        if w[:1].isupper():
                            f.append("title")
                if all(unicodedata.category(c)[0] in "PS" for c in w):
                    f.append("punct")
                key = base
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
