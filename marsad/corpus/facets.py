"""Facets: the values of every search filter, each with the number of matching documents (as datasette shows
them beside a table). `facets(conn, query, **filters)` counts over the documents that match the query and
filters, so every count is what clicking the value would add to the search.

Each facet is one GROUP BY over the indexed rows, restricted to the matching documents; with no query and no
filter the restriction is left out and the counts read the indexes alone.
"""
from __future__ import annotations

import sqlite3

from . import values
from .backend import dialect, nocase
from .search import checked, matching

# name -> (SQL over the rows (alias x) of one table, {rows} its FROM clause, with the value, a label column and
#          a count of documents; the filter a value of the facet sets)
_FACETS = {
    # SQLite: any one spelling of the group; PostgreSQL requires an aggregate (min is one of them too)
    "source": ("SELECT {source}, NULL, count(*) FROM {documents} WHERE x.source IS NOT NULL "
               "GROUP BY {nocase_source}", "source"),
    "lang": ("SELECT x.language, NULL, count(*) FROM {documents} WHERE x.language IS NOT NULL GROUP BY x.language",
             "lang"),
    "event_type": ("SELECT x.type, NULL, count(DISTINCT x.doc) FROM {events} WHERE x.type IS NOT NULL{sure} "
                   "GROUP BY x.type", "event_type"),
    "sub_type": ("SELECT x.sub_type, max(x.type), count(DISTINCT x.doc) FROM {events} WHERE x.sub_type IS NOT NULL"
                 "{sure} GROUP BY x.sub_type", "event_type"),
    "modality": ("SELECT x.modality, NULL, count(DISTINCT x.doc) FROM {events} WHERE x.modality IS NOT NULL{sure} "
                 "GROUP BY x.modality", "modality"),
    "technique": ("SELECT x.technique, NULL, count(DISTINCT x.doc) FROM {techniques} WHERE x.technique IS NOT NULL"
                  "{sure} GROUP BY x.technique", "technique"),
    # entities: one row per (document, entity), so count(*) counts documents; actors and places come from one
    # pass over the rows (_ENTITY_KIND tells them apart)
    "actor": (_ENTITIES := "SELECT x.entity, max(coalesce(x.name, x.name_ar)), count(*), "
                           "max(CASE WHEN x.kind = 'place' THEN 1 ELSE 0 END) "
                           "FROM {entities} GROUP BY x.entity", "actor"),
    "place": (_ENTITIES, "place"),
    "side": ("SELECT x.side, NULL, count(DISTINCT x.doc) FROM {entities} WHERE x.side IS NOT NULL GROUP BY x.side",
             "side"),
}
FACETS = tuple(_FACETS)
_ENTITY_KIND = {"actor": lambda value, is_place: not is_place and value.startswith("actor:"),
                "place": lambda value, is_place: bool(is_place)}


def facets(conn: sqlite3.Connection, query: str = "", *, top: int | None = 20, names=FACETS,
           **filters) -> dict[str, dict]:
    """{facet: {"filter": the filter its values set, "values": [{"value", "label", "count"}, ...] most documents
    first, "more": how many values were left out past `top`}} over the documents matching `query` and the
    filters. Filter values in any spelling (values.resolve); an unknown one raises values.UnknownValue."""
    given = {k: v for k, v in filters.items() if v not in (None, "", [])}
    tables = {t: f"{t} x" for t in ("documents", "events", "techniques", "entities")}
    if query and query.strip() or set(given) - {"confidence"}:
        # the matching documents are found once (the query's full-text match and the filters' subqueries) into a
        # temporary table of this connection; each facet then walks from it to its rows (CROSS JOIN keeps that
        # order: reading the whole table and testing each row's document was 2-3 times slower)
        inner, match_args, _, _ = matching(conn, query, **given)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS facet_docs (rowid {} PRIMARY KEY)".format(
            "INTEGER" if dialect(conn) == "sqlite" else "BIGINT"))  # SQLite: INTEGER makes it the table's rowid
        conn.execute("DELETE FROM facet_docs")  # a temporary table is found before a stored one of that name
        checked(conn.execute, f"INSERT INTO facet_docs SELECT m.rowid FROM ({inner}) m", match_args)
        tables = {t: f"facet_docs f CROSS JOIN {t} x ON x.{'rowid' if t == 'documents' else 'doc'} = f.rowid"
                  for t in tables}
    tables["source"] = "x.source" if dialect(conn) == "sqlite" else "min(x.source)"
    tables["nocase_source"] = nocase(conn, "x.source")
    conf = given.get("confidence")
    out: dict[str, dict] = {}
    read: dict[str, list] = {}   # rows by SQL: the actor and place facets share theirs
    for name in names:
        sql, sets = _FACETS[name]
        sure = " AND x.confidence >= ?" if conf and "{sure}" in sql else ""
        if sql not in read:
            read[sql] = conn.execute(sql.format(sure=sure, **tables), [float(conf)] if sure else []).fetchall()
        rows = [r[:3] for r in read[sql] if r[0] and (name not in _ENTITY_KIND or _ENTITY_KIND[name](r[0], r[3]))]
        rows.sort(key=lambda r: (-r[2], str(r[0]).lower()))
        shown = rows if top is None else rows[:top]
        out[name] = {"filter": sets, "more": len(rows) - len(shown),
                     "values": [_value(name, v, label, n) for v, label, n in shown]}
    return out


def _value(name: str, value: str, label, count: int) -> dict:
    """One value as pages show it: a technique's words, an entity's name; a sub-type says its type."""
    if name == "sub_type":
        return {"value": value, "label": value, "count": count, "within": label}
    return {"value": value, "label": value.replace("_", " ") if name == "technique" else label or value,
            "count": count}


def render(result: dict) -> str:
    """The text `marsad facets` prints: one block per facet, one `count  value  label` line per value."""
    lines: list[str] = []
    for name, facet in result.items():
        flag = "--" + facet["filter"].replace("_", "-")
        lines.append(f"{name} ({flag})")
        for v in facet["values"]:
            label = f"  {v['label']}" if values.key(v["label"]) != values.key(v["value"]) else ""
            label += f"  (within {v['within']})" if v.get("within") else ""
            lines.append(f"  {v['count']:>6}  {v['value']}{label}")
        if not facet["values"]:
            lines.append("       -")
        if facet["more"]:
            lines.append(f"         ... {facet['more']} more (--top 0 lists all)")
        lines.append("")
    return "\n".join(lines)
