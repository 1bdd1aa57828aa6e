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

from ..ingest import InputError
from ..lang import fold_for_matching
from . import text as fts_text
from .backend import dialect, is_driver_error, nocase, nocase_value

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
    tsquery: str = ""             # the same expression for PostgreSQL's to_tsquery('simple', ...)


class QueryError(InputError):
    """A query the full-text engine cannot take even in marsad's quoted form (too many items, too long)."""


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _ts_quote(term: str) -> str:
    """A tsquery operand: the terms between single quotes (several terms make a phrase, as in FTS5)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _item(query_word: str | None, phrase: str | None, terms: set[str], prefixes: set[str]):
    """One query item as (FTS5, tsquery) alternatives (OR-ed), or None when it holds no word."""
    if phrase is not None:
        stems = [fts_text.stem(w) for _, _, w in fts_text.words(phrase)]
        terms.update(stems)
        return [(_quote(" ".join(stems)), _ts_quote(" ".join(stems)))] if stems else None
    found = [w for _, _, w in fts_text.words(query_word)]
    if not found:
        return None
    if query_word.endswith("*") and len(found) == 1:
        # the index holds stems: a prefix matches words beginning with it, and also the stem of the prefix
        # itself (دوما is indexed as its stem, which the bare prefix دوما* does not begin)
        alternatives = dict.fromkeys([fts_text.prefix_term(found[0]), fts_text.stem(found[0])])
        prefixes.update(alternatives)
        return [(_quote(p) + "*", _ts_quote(p) + ":*") for p in alternatives]
    # a "word" with inner punctuation (al-Bab, U.S.) is a phrase of its parts
    stems = [fts_text.stem(w) for w in found]
    terms.update(stems)
    return [(_quote(" ".join(stems)), _ts_quote(" ".join(stems)))]


def _join(groups: list[list[tuple[str, str]]], which: int, or_: str, and_: str) -> str:
    # OR-ed items form one flat group, never nested parentheses: a deep nesting overflows FTS5's parser stack
    return and_.join(g[0][which] if len(g) == 1 else "(" + or_.join(a[which] for a in g) + ")" for g in groups)


def parse(query: str) -> _Query | None:
    """The FTS5 expression (and the tsquery) for a user query; None when it has no words at all."""
    groups: list[list[tuple[str, str]]] = []   # AND of groups, each an OR of alternatives
    terms: set[str] = set()
    prefixes: set[str] = set()
    join_or = False
    for m in _QUERY_ITEM.finditer(query or ""):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            join_or = bool(groups)
            continue
        alternatives = _item(word, phrase, terms, prefixes)
        if alternatives is None:
            continue
        if join_or:
            groups[-1].extend(a for a in alternatives if a not in groups[-1])
        else:
            groups.append(alternatives)
        join_or = False
    if not groups:
        return None
    return _Query(_join(groups, 0, " OR ", " AND "), terms, prefixes, _join(groups, 1, " | ", " & "))


FILTERS = ("source", "lang", "language", "since", "until", "place", "near", "km", "actor", "side", "event_type",
           "technique", "modality", "confidence")
SORTS = ("relevance", "newest", "oldest")


def _in(col: str, value) -> tuple[str, list]:
    values = list(value) if isinstance(value, (list, tuple, set)) else [value]
    return f"{col} IN ({', '.join('?' * len(values))})", values


def _filters(conn, f: dict) -> tuple[list[str], list]:
    """SQL conditions on documents (alias d) for the filters (canonical values: see values.resolve; place,
    actor, side, event_type, technique and modality take one value or a list); unknown names are an error.
    `confidence` (0..1) keeps only the events and technique spans at or above it for the event_type,
    modality and technique filters."""
    where, args = [], []
    unknown = set(f) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown search filter(s): {', '.join(sorted(unknown))}")
    conf = f.get("confidence")
    sure = " AND confidence >= ?" if conf else ""
    sure_args = [float(conf)] if conf else []
    if f.get("source"):
        vals = list(f["source"]) if isinstance(f["source"], (list, tuple, set)) else [f["source"]]
        where.append(f"{nocase(conn, 'd.source')} IN ({', '.join([nocase_value(conn)] * len(vals))})")
        args += vals
    lang = f.get("lang") or f.get("language")
    if lang:
        cond, vals = _in("d.language", lang)
        where.append(cond)
        args += vals
    if f.get("since"):
        where.append("d.published >= ?")
        args.append(str(f["since"]))
    if f.get("until"):
        where.append("d.published <= ?")
        args.append(str(f["until"]))
    if f.get("place"):
        (ev, vals), (mn, _) = _in("place", f["place"]), _in("entity", f["place"])
        where.append(f"d.rowid IN (SELECT doc FROM events WHERE {ev} UNION SELECT doc FROM mentions WHERE {mn})")
        args += vals * 2
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
        (a1, vals), (a2, _), (mn, _) = _in("actor1", f["actor"]), _in("actor2", f["actor"]), _in("entity", f["actor"])
        where.append(f"d.rowid IN (SELECT doc FROM events WHERE {a1} UNION SELECT doc FROM events "
                     f"WHERE {a2} UNION SELECT doc FROM mentions WHERE {mn})")
        args += vals * 3
    if f.get("side"):
        (en, vals), (s1, _), (s2, _) = _in("side", f["side"]), _in("actor1_side", f["side"]), _in("actor2_side", f["side"])
        where.append(f"d.rowid IN (SELECT doc FROM entities WHERE {en} UNION SELECT doc FROM events "
                     f"WHERE {s1} UNION SELECT doc FROM events WHERE {s2})")
        args += vals * 3
    if f.get("event_type"):  # ACLED type or sub-type, or PLOVER type
        (t, vals), (st, _), (pl, _) = _in("type", f["event_type"]), _in("sub_type", f["event_type"]), _in("plover", f["event_type"])
        where.append(f"d.rowid IN (SELECT doc FROM events WHERE {t}{sure} UNION SELECT doc FROM events "
                     f"WHERE {st}{sure} UNION SELECT doc FROM events WHERE {pl}{sure})")
        args += (vals + sure_args) * 3
    if f.get("modality"):
        cond, vals = _in("modality", f["modality"])
        where.append(f"d.rowid IN (SELECT doc FROM events WHERE {cond}{sure})")
        args += vals + sure_args
    if f.get("technique"):
        cond, vals = _in("technique", f["technique"])
        where.append(f"d.rowid IN (SELECT doc FROM techniques WHERE {cond}{sure})")
        args += vals + sure_args
    return where, args


@dataclass
class Page:
    """One page of hits: `total` documents match in all; `offset` + len(hits) < total means more follow."""
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    sort: str = "relevance"
    entities: list[str] = field(default_factory=list)   # ids the query named (their documents match too)
    related: list[Hit] = field(default_factory=list)    # semantic=True: close by meaning, not lexical hits

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


# The documents matching a full-text expression, with a score (lower is better, as FTS5's bm25 gives it).
# SQLite: BM25 with title words weighing double. PostgreSQL: ts_rank over the tsvector (title terms weight A:
# 1.0, body D: 0.5, so title words weigh double there too), normalised by document length (flag 1), negated.
_FULL_TEXT = {
    "sqlite": "SELECT rowid, bm25(doc_fts, 2.0, 1.0) AS score FROM doc_fts WHERE doc_fts MATCH ?",
    "postgres": "SELECT t.rowid, -ts_rank('{0.5, 0, 0, 1.0}', t.terms, q.q, 1) AS score "
                "FROM doc_fts t, to_tsquery('simple', ?) q(q) WHERE t.terms @@ q.q",
}


def _expression(conn, q: _Query) -> str:
    return q.tsquery if dialect(conn) == "postgres" else q.fts


def matching(conn: sqlite3.Connection, query: str = "", **filters) -> tuple[str, list, _Query | None, set[str]]:
    """SQL selecting the rowid (and BM25 `score`, NULL for documents reached through a named entity only) of
    the documents matching `query` and the filters, with its arguments, the parsed query and the entity ids
    the query names. Filter values are resolved first (values.resolve: any spelling, or UnknownValue)."""
    from . import values

    filters = values.resolve(conn, {k: v for k, v in filters.items() if v not in (None, "", [])})
    where, args = _filters(conn, filters)
    q = parse(query) if query and query.strip() else None
    if query and query.strip() and q is None:
        return "SELECT d.rowid, NULL AS score FROM documents d WHERE 1 = 0", [], None, set()
    named = values.entities_named(conn, query) if q else set()
    if q and named:
        # the query names an actor or a place: its documents match in either language, lexical hits first
        (mn, ids), (pl, _), (a1, _), (a2, _) = (_in("entity", named), _in("place", named), _in("actor1", named),
                                                _in("actor2", named))
        sql = (f"SELECT d.rowid, f.score FROM documents d LEFT JOIN ({_FULL_TEXT[dialect(conn)]}) f "
               "ON f.rowid = d.rowid WHERE (f.rowid IS NOT NULL OR d.rowid IN "
               f"(SELECT doc FROM mentions WHERE {mn} UNION SELECT doc FROM events WHERE {pl} UNION "
               f"SELECT doc FROM events WHERE {a1} UNION SELECT doc FROM events WHERE {a2}))")
        args = [_expression(conn, q)] + ids * 4 + args
    elif q:
        # CROSS JOIN keeps the full-text match as the outer loop: with a filter on an indexed column (language)
        # SQLite otherwise scans those documents and runs the match once for each (5,000 documents: 249 -> 15 ms)
        sql = ("SELECT d.rowid, bm25(doc_fts, 2.0, 1.0) AS score FROM doc_fts CROSS JOIN documents d "
               "ON d.rowid = doc_fts.rowid WHERE doc_fts MATCH ?" if dialect(conn) == "sqlite" else
               f"SELECT d.rowid, f.score FROM ({_FULL_TEXT['postgres']}) f JOIN documents d ON d.rowid = f.rowid")
        args = [_expression(conn, q)] + args
    else:
        sql = "SELECT d.rowid, NULL AS score FROM documents d WHERE 1 = 1"
    return sql + "".join(f" AND {w}" for w in where), args, q, named


def search_page(conn: sqlite3.Connection, query: str = "", *, limit: int = 20, offset: int = 0,
                sort: str = "relevance", semantic: bool = False, **filters) -> Page:
    """A page of the documents matching `query` and every filter, with the total. sort: relevance (BM25,
    title words weigh double; documents reached only through an entity the query names come after the
    lexical hits; an empty query lists newest first), newest or oldest (published date).

    Filters: source (outlet, case-insensitive), lang, since/until (YYYY-MM-DD, on the published date),
    place (id or name, of an event or a mention), near=(lat, lon) with km (radius, default 25) over the
    located events and mentioned places, actor (id or name), side, event_type (ACLED type or sub-type, or
    PLOVER type), technique (code or label), modality, confidence (minimum, for the event and technique
    filters). Values in any spelling a record or page shows (values.py); an unknown one raises UnknownValue."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    inner, args, q, named = matching(conn, query, **filters)
    total = checked(conn.execute, f"SELECT count(*) FROM ({inner}) m", args).fetchone()[0]
    newest = "d.published IS NULL, d.published DESC, d.rowid DESC"
    order = {"newest": newest, "oldest": "d.published IS NULL, d.published, d.rowid",
             "relevance": "m.score IS NULL, m.score, " + newest if q else newest}[sort]
    sql = (f"SELECT d.rowid, d.id, d.title, d.source, d.published, d.language, d.url, d.text, m.score "
           f"FROM ({inner}) m JOIN documents d ON d.rowid = m.rowid ORDER BY {order} LIMIT ? OFFSET ?")
    hits = []
    for rowid, doc_id, title, source, published, lang, url, text, score in conn.execute(sql, args + [limit, offset]):
        spans = _highlights(text, q) if q else []
        if named and (score is None or not spans):  # reached through the entity: mark its mentions
            cond, ids = _in("entity", named)
            spans = sorted({(a, b) for a, b in conn.execute(
                f'SELECT start, "end" FROM mentions WHERE doc = ? AND {cond} AND start IS NOT NULL', [rowid] + ids)}
                | set(spans))
        a, b = _window(text, spans[0] if spans else (0, 0))
        hits.append(Hit(doc_id, title, source, published, lang, url, round(-(score or 0.0), 4) + 0.0, text[a:b], a, b,
                        [list(s) for s in spans], rowid))
    page = Page(hits, total, offset, limit, sort, sorted(named))
    if semantic and q:
        page.related = _related(conn, query, inner, args, filters)
    return page


def _related(conn: sqlite3.Connection, query: str, inner: str, args: list, filters: dict) -> list[Hit]:
    """The semantic section: documents close to the query by meaning that are not among its lexical hits."""
    from . import semantic

    exclude = {r for (r,) in conn.execute(f"SELECT m.rowid FROM ({inner}) m", args)}
    among = None
    if any(v not in (None, "", []) for v in filters.values()):
        every, every_args, _, _ = matching(conn, "", **filters)
        among = {r for (r,) in conn.execute(f"SELECT m.rowid FROM ({every}) m", every_args)}
    out = []
    for rowid, cosine in semantic.related(conn, query, among=among, exclude=exclude):
        doc_id, title, source, published, lang, url, text = conn.execute(
            "SELECT id, title, source, published, language, url, text FROM documents WHERE rowid = ?", (rowid,)).fetchone()
        a, b = _window(text, (0, 0))
        out.append(Hit(doc_id, title, source, published, lang, url, cosine, text[a:b], a, b, [], rowid))
    return out


def checked(execute, sql: str, args: list):
    """`execute(sql, args)`, with the full-text engine's refusal of a query (FTS5's parser, PostgreSQL's
    tsquery) as a QueryError (one line for the user) instead of a database error."""
    try:
        return execute(sql, args)
    except sqlite3.OperationalError as e:
        if "fts5" not in str(e) and "parser stack" not in str(e):
            raise
        raise QueryError(f"the full-text engine cannot take this query ({e}): use fewer words or OR items") from None
    except Exception as e:
        if not is_driver_error(e) or "tsquery" not in str(e):
            raise
        raise QueryError(f"the full-text engine cannot take this query ({str(e).splitlines()[0]}): use fewer words "
                         "or OR items") from None


def search(conn: sqlite3.Connection, query: str = "", *, limit: int = 20, offset: int = 0, **filters) -> list[Hit]:
    """The hits of search_page (same query, filters and sort), without the total."""
    return search_page(conn, query, limit=limit, offset=offset, **filters).hits


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
