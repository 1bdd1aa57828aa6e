"""Named entities on CoNLL-style data (CoNLL-2003, ANERcorp, AQMAR): conlleval exact-match P/R/F1.

Reading: token ... tag per line (tab or space columns), a blank line between sentences, -DOCSTART- and each
file start begin a document; IOB1, IOB2 or IOBES; type names mapped to PER/ORG/LOC (ANERcorp's PERS,
AQMAR's MIS0-3 and everything else is MISC). marsad reads documents of 20 sentences, tokens joined by spaces
and sentences by newlines, as the project's scorer builds them; each predicted mention covers the gold
tokens it overlaps (the longest mention first; a token already covered is not taken twice). Scoring:
exact-match entity P/R/F1 over PER, ORG and LOC (MISC ignored on both sides), micro and per type, by
seqeval in conlleval mode (`pip install 'marsad[eval]'`).
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Iterator

from ..ingest import Document
from . import EvalError

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags
SCORED = ("PER", "ORG", "LOC")
DOC_SENTENCES = 20  # sentences per document, as the project's scorer builds them

_TYPE = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG",
         "ORGANISATION": "ORG", "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC"}
_TAG = re.compile(r"^(O|[BIES]-\S+)$")
_DIRECTION_MARKS = re.compile("[\u200e\u200f\ufeff]")


# ---------------------------------------------------------------- reading
def coarse_type(t: str) -> str:
    # Everything that is not a person/organisation/place is MISC (AQMAR's MIS0-3, typos like B-MIS-1).
    return _TYPE.get(t.upper().strip("-`' "), "MISC")


def _split_tag(tag: str) -> tuple[str, str | None]:
    t = tag.strip().strip("`'")
    if t.upper() in ("O", "OO", "IO", "0", ""):
        return "O", None
    m = re.match(r"([BIES])-+(.+)$", t, re.I)
    return (m.group(1).upper(), coarse_type(m.group(2))) if m else ("I", coarse_type(t))


def to_iob2(tags: list[str]) -> list[str]:
    """IOB1 / IOB2 / IOBES with any type names -> IOB2 over PER/ORG/LOC/MISC (conlleval chunking)."""
    out, cur, ended = [], None, False
    for raw in tags:
        p, t = _split_tag(raw)
        if p == "O":
            out.append("O")
            cur = None
        elif p in "BS" or t != cur or ended:
            out.append(f"B-{t}")
            cur = t
        else:
            out.append(f"I-{t}")
        ended = p in "ES"
    return out


def conll_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(f for f in path.rglob("*") if f.is_file()
                   and f.suffix.lower() in (".txt", ".conll", ".bio", ".iob")
                   and not re.match(r"(readme|license|licence)", f.name, re.I))
    if not files:
        raise EvalError(f"{path}: no CoNLL files (.txt, .conll, .bio, .iob) in it")
    return files


def iter_conll(path: str | Path) -> Iterator[list[Sentence]]:
    """Documents (split at -DOCSTART- and at file starts) of sentences (tokens, IOB2 tags), one at a time."""
    for f in conll_files(Path(path)):
        try:
            lines = f.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise EvalError(f"{f}: not UTF-8 text; a CoNLL file (token ... tag per line) was expected") from None
        tabbed = sum("\t" in ln for ln in lines) > len(lines) / 4
        doc: list[Sentence] = []
        toks: list[str] = []
        tags: list[str] = []
        for line in [*lines, "-DOCSTART-"]:  # sentinel closes the file's last document
            cols = [_DIRECTION_MARKS.sub("", c).strip() for c in (line.split("\t") if tabbed else line.split())]
            cols = [c for c in cols if c] if not tabbed else cols
            if not any(cols) or cols[0] == "-DOCSTART-":
                if toks:
                    doc.append((toks, to_iob2(tags)))
                toks, tags = [], []
                if any(cols) and doc:
                    yield doc
                    doc = []
                continue
            if len(cols) == 1:  # a bare tag or a bare token
                cols = ["", cols[0]] if _TAG.match(cols[0]) else [cols[0], "O"]
            if cols[0]:
                toks.append(cols[0])
                tags.append(cols[-1])


def chunked(docs, n: int = DOC_SENTENCES) -> Iterator[list[Sentence]]:
    """Documents cut into runs of n sentences, the unit marsad reads."""
    for d in docs:
        for k in range(0, len(d), n):
            yield d[k:k + n]


def layout(doc: list[Sentence]) -> tuple[str, list[tuple[int, int]]]:
    """The text marsad reads (tokens joined by spaces, sentences by newlines) and each token's span in it."""
    spans, pos = [], 0
    for words, _ in doc:
        for w in words:
            spans.append((pos, pos + len(w)))
            pos += len(w) + 1
    return "\n".join(" ".join(words) for words, _ in doc), spans


def covered_chunks(token_spans: list[tuple[int, int]], mentions) -> set[tuple[int, int, str]]:
    """(first token, end token, type) for each predicted mention: the gold tokens its characters overlap.
    The longest mention at a place wins; one overlapping tokens another already took is dropped."""
    starts, taken, out = [s for s, _ in token_spans], set(), set()
    for m in sorted(mentions, key=lambda m: (m["start"], m["start"] - m["end"])):
        s, e = m["start"], m["end"]
        lo = max(bisect.bisect_right(starts, s) - 1, 0)
        cov = [i for i in range(lo, bisect.bisect_left(starts, e)) if token_spans[i][0] < e and token_spans[i][1] > s]
        if cov and taken.isdisjoint(cov):
            taken.update(cov)
            out.add((cov[0], cov[-1] + 1, m["type"]))
    return out


# ---------------------------------------------------------------- the task
def examples(path: Path) -> Iterator[tuple[Document, tuple]]:
    """(document of 20 sentences, (token spans, gold IOB2 tags of all its tokens))."""
    for k, doc in enumerate(chunked(iter_conll(path)), 1):
        text, token_spans = layout(doc)
        tags = [t for _, sentence_tags in doc for t in sentence_tags]
        yield Document(id=f"{path.stem}-{k:05d}", text=text), (token_spans, tags)


def _scored_tags(tags: list[str]) -> list[str]:
    return [t if t[2:] in SCORED else "O" for t in tags]  # MISC is not scored


def chunk_tags(n: int, chunks) -> list[str]:
    """IOB2 tags of n tokens carrying these (start, end, type) chunks."""
    tags = ["O"] * n
    for s, e, t in chunks:
        tags[s:e] = [f"B-{t}"] + [f"I-{t}"] * (e - s - 1)
    return tags


class Scorer:
    def __init__(self):
        try:  # told before the analysis, not after it
            import seqeval  # noqa: F401
        except ImportError:
            raise EvalError("the ner task needs seqeval: pip install 'marsad[eval]'") from None
        self.gold: list[list[str]] = []
        self.predicted: list[list[str]] = []

    def add(self, record: dict, gold: tuple) -> None:
        token_spans, tags = gold
        chunks = covered_chunks(token_spans, record.get("mentions", []))
        self.gold.append(_scored_tags(tags))
        self.predicted.append(_scored_tags(chunk_tags(len(token_spans), chunks)))

    def rows(self) -> list[dict]:
        from seqeval.metrics import classification_report
        from seqeval.metrics.sequence_labeling import get_entities

        report = classification_report(self.gold, self.predicted, output_dict=True, zero_division=0)
        predicted = [t for t, _, _ in get_entities(self.predicted)]
        gold = [t for t, _, _ in get_entities(self.gold)]

        def row(measure: str, figures: dict | None, types: tuple[str, ...]) -> dict:
            figures = figures or {}
            return {"measure": measure, "p": round(float(figures.get("precision", 0)), 4),
                    "r": round(float(figures.get("recall", 0)), 4),
                    "f1": round(float(figures.get("f1-score", 0)), 4),
                    "gold": sum(t in types for t in gold), "pred": sum(t in types for t in predicted)}

        return [row("entities, micro", report.get("micro avg"), SCORED)] + [
            row(t, report.get(t), (t,)) for t in SCORED]
