"""Full-text search over the corpus, in Arabic and English, with filters on the structured rows.

The FTS5 index (doc_fts) holds the folded, stemmed terms of each document's title and text (text.py); the
query goes through the same folding and stemming, so بالملك finds الملك and "shelling" finds "shelled".
Query syntax: words (all must occur), "a quoted phrase", a word ending in * (prefix), OR between two
items. Everything else is treated as words, never as FTS syntax, so no query can be a syntax error.

Snippets are cut from the original text: the document is re-tokenised with the same functions, matching
words give spans in the original string (the fold keeps an offset map), so highlights index `text`.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import asdict, dataclass, field

from ..lang import fold_for_matching
from . import text as fts_text

_QUERY_ITEM = re.compile(r'"([^"]*)"|(\S+)')
SNIPPET_CHARS = 240


@dataclass
class Hit:
    id: str
    title: str | None
    source: str | None
    published: str | None
    language: str | None
    url: str | None
    score: float
    snippet: str                 # text[snippet_start:snippet_end]
    snippet_start: int
    snippet_end: int
    highlights: list[list[int]] = field(default_factory=list)  # [start, end] of matched words, in `text`
    rowid: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Query:
    fts: str                      # FTS5 expression, every term quoted
    terms: set[str]               # whole terms, for highlighting
    prefixes: set[str]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse(query: str) -> _Query | None:
    """The FTS5 expression for a user query; None when it has no words at all."""
    parts: list[str] = []
    terms: set[str] = set()
    prefixes: set[str] = set()
    join_or = False
    for m in _QUERY_ITEM.finditer(query or ""):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            join_or = bool(parts)
            continue
        if phrase is not None:
            stems = [fts_text.stem(w) for _, _, w in fts_text.words(phrase)]
            terms.update(stems)
            expr = _quote(" ".join(stems)) if stems else None
        else:
            prefix = word.endswith("*")
            found = [w for _, _, w in fts_text.words(word)]
            if not found:
                expr = None
            elif prefix and len(found) == 1:
                p = fts_text.prefix_term(found[0])
                prefixes.add(p)
                expr = _quote(p) + "*"
            else:  # a "word" with inner punctuation (al-Bab, U.S.) is a phrase of its parts
                stems = [fts_text.stem(w) for w in found]
                terms.update(stems)
                expr = _quote(" ".join(stems))
        if expr is None:
            continue
        if join_or:
            parts[-1] = f"({parts[-1]} OR {expr})"
        else:
            parts.append(expr)
        join_or = False
    if not parts:
        return None
    return _Query(" AND ".join(parts), terms, prefixes)


def _filters(f: dict) -> tuple[list[str], list]:
    """SQL conditions on documents (alias d) for the filters; unknown names are an error."""
    where, args = [], []
    known = {"source", "lang", "language", "since", "until", "place", "near", "km", "actor", "side",
             "event_type", "technique"}
    unknown = set(f) - known
    if unknown:
        raise TypeError(f"unknown search filter(s): {', '.join(sorted(unknown))}")
    if f.get("source"):
        where.append("d.source = ? COLLATE NOCASE")
        args.append(f["source"])
    lang = f.get("lang") or f.get("language")
    if lang:
        where.append("d.language = ?")
        args.append(lang)
    if f.get("since"):
        where.append("d.published >= ?")
        args.append(str(f["since"]))
    if f.get("until"):
        where.append("d.published <= ?")
        args.append(str(f["until"]))
    if f.get("place"):
        where.append("d.rowid IN (SELECT doc FROM events WHERE place = ? UNION SELECT doc FROM mentions WHERE entity = ?)")
        args += [f["place"]] * 2
    if f.get("near") is not None:
        lat, lon = (float(x) for x in f["near"])
        km = float(f.get("km") or 25.0)
        dlat = km / 111.0
        dlon = km / (111.0 * max(0.01, math.cos(math.radians(lat))))
        box = [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        # The distinct points in the box come from the covering (lat, lon, doc) indexes (migration 3), so the
        # exact distance (a Python function) runs once per distinct place, not once per event or mention;
        # the documents at the points within the radius are then read from the same indexes.
        where.append(
            "d.rowid IN (WITH box AS MATERIALIZED ("
            "SELECT DISTINCT lat, lon FROM events WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            "UNION SELECT DISTINCT lat, lon FROM entities WHERE kind = 'place' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?), "
            "pts AS MATERIALIZED (SELECT lat, lon FROM box WHERE km(lat, lon, ?, ?) <= ?) "
            "SELECT e.doc FROM pts CROSS JOIN events e ON e.lat = pts.lat AND e.lon = pts.lon "
            "UNION SELECT n.doc FROM pts CROSS JOIN entities n ON n.kind = 'place' AND n.lat = pts.lat AND n.lon = pts.lon)")
        args += box + box + [lat, lon, km]
    if f.get("actor"):
        where.append("d.rowid IN (SELECT doc FROM events WHERE actor1 = ? UNION SELECT doc FROM events "
                     "WHERE actor2 = ? UNION SELECT doc FROM mentions WHERE entity = ?)")
        args += [f["actor"]] * 3
    if f.get("side"):
        where.append("d.rowid IN (SELECT doc FROM entities WHERE side = ? UNION SELECT doc FROM events "
                     "WHERE actor1_side = ? UNION SELECT doc FROM events WHERE actor2_side = ?)")
        args += [f["side"]] * 3
    if f.get("event_type"):  # ACLED type or sub-type, or PLOVER type
        where.append("d.rowid IN (SELECT doc FROM events WHERE type = ? UNION SELECT doc FROM events "
                     "WHERE sub_type = ? UNION SELECT doc FROM events WHERE plover = ?)")
        args += [f["event_type"]] * 3
    if f.get("technique"):
        where.append("d.rowid IN (SELECT doc FROM techniques WHERE technique = ?)")
        args.append(f["technique"])
    return where, args


def search(conn: sqlite3.Connection, query: str = "", *, limit: int = 20, offset: int = 0, **filters) -> list[Hit]:
    """Documents matching `query` and every filter, best first (BM25; title words weigh double). An empty
    query lists the documents that pass the filters, newest first.

    Filters: source (outlet, case-insensitive), lang, since/until (YYYY-MM-DD, on the published date),
    place (entity id, of an event or a mention), near=(lat, lon) with km (radius, default 25) over the
    located events and mentioned places, actor (entity id), side, event_type (ACLED type or sub-type, or
    PLOVER type), technique."""
    where, args = _filters(filters)
    q = parse(query) if query and query.strip() else None
    if query and query.strip() and q is None:
        return []  # only punctuation: nothing can match
    cols = "d.rowid, d.id, d.title, d.source, d.published, d.language, d.url, d.text"
    if q:
        sql = (f"SELECT {cols}, bm25(doc_fts, 2.0, 1.0) AS score FROM doc_fts "
               f"JOIN documents d ON d.rowid = doc_fts.rowid WHERE doc_fts MATCH ?")
        args = [q.fts] + args
        order = "score, d.rowid"
    else:
        sql = f"SELECT {cols}, 0.0 AS score FROM documents d WHERE 1"
        order = "d.published IS NULL, d.published DESC, d.rowid DESC"
    sql += "".join(f" AND {w}" for w in where) + f" ORDER BY {order} LIMIT ? OFFSET ?"
    hits = []
    for rowid, doc_id, title, source, published, lang, url, text, score in conn.execute(sql, args + [limit, offset]):
        spans = _highlights(text, q) if q else []
        a, b = _window(text, spans[0] if spans else (0, 0))
        hits.append(Hit(doc_id, title, source, published, lang, url, round(-score, 4) + 0.0, text[a:b], a, b,
                        [list(s) for s in spans], rowid))
    return hits


def _highlights(text: str, q: _Query) -> list[tuple[int, int]]:
    """Spans in `text` of the words whose term matches the query. The per-word Python work runs on the
    distinct words only; finding their occurrences is one regex pass over the folded text."""
    folded = fold_for_matching(text)
    hit = [w for w in set(fts_text.WORD.findall(folded.text))
           if fts_text.stem(w) in q.terms or any(fts_text.prefix_term(w).startswith(p) for p in q.prefixes)]
    if not hit:
        return []
    alternation = "|".join(re.escape(w) for w in sorted(hit, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])")
    return [folded.span(m.start(), m.end()) for m in pattern.finditer(folded.text)]


def _window(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """About SNIPPET_CHARS of text around `span`, cut at white space."""
    a = max(0, span[0] - SNIPPET_CHARS // 3)
    b = min(len(text), a + SNIPPET_CHARS)
    a = max(0, min(a, b - SNIPPET_CHARS))
    if a > 0:
        sp = text.find(" ", a, span[0] or a + 1)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", max(span[1], a), b)
        b = sp if sp > a else b
    return a, b
