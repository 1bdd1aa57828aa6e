"""Facets: the values of every search filter, each with the number of matching documents (as datasette shows
them beside a table). `facets(conn, query, **filters)` counts over the documents that match the query and
filters, so every count is what clicking the value would add to the search.

Each facet is one GROUP BY over the indexed rows, restricted to the matching documents; with no query and no
filter the restriction is left out and the counts read the indexes alone.
"""
from __future__ import annotations

import sqlite3

from . import values
from .search import matching

# name -> (SQL over the rows of one matching document set {docs}, with the value, a label column and a count;
#          the filter a value of the facet sets)
_FACETS = {
    "source": ("SELECT source, NULL, count(*) FROM documents WHERE source IS NOT NULL AND rowid IN {docs} "
               "GROUP BY source COLLATE NOCASE", "source"),
    "lang": ("SELECT language, NULL, count(*) FROM documents WHERE language IS NOT NULL AND rowid IN {docs} "
             "GROUP BY language", "lang"),
    "event_type": ("SELECT type, NULL, count(DISTINCT doc) FROM events WHERE type IS NOT NULL AND doc IN {docs}{sure} "
                   "GROUP BY type", "event_type"),
    "sub_type": ("SELECT sub_type, type, count(DISTINCT doc) FROM events WHERE sub_type IS NOT NULL "
                 "AND doc IN {docs}{sure} GROUP BY sub_type", "event_type"),
    "modality": ("SELECT modality, NULL, count(DISTINCT doc) FROM events WHERE modality IS NOT NULL "
                 "AND doc IN {docs}{sure} GROUP BY modality", "modality"),
    "technique": ("SELECT technique, NULL, count(DISTINCT doc) FROM techniques WHERE technique IS NOT NULL "
                  "AND doc IN {docs}{sure} GROUP BY technique", "technique"),
    # entities: one row per (document, entity), so count(*) counts documents
    "actor": ("SELECT entity, max(coalesce(name, name_ar)), count(*) FROM entities WHERE kind IS NOT 'place' "
              "AND entity LIKE 'actor:%' AND doc IN {docs} GROUP BY entity", "actor"),
    "place": ("SELECT entity, max(coalesce(name, name_ar)), count(*) FROM entities WHERE kind = 'place' "
              "AND doc IN {docs} GROUP BY entity", "place"),
    "side": ("SELECT side, NULL, count(DISTINCT doc) FROM entities WHERE side IS NOT NULL AND doc IN {docs} "
             "GROUP BY side", "side"),
}
FACETS = tuple(_FACETS)
_EVERYTHING = "(SELECT rowid FROM documents)"


def facets(conn: sqlite3.Connection, query: str = "", *, top: int | None = 20, names=FACETS,
           **filters) -> dict[str, dict]:
    """{facet: {"filter": the filter its values set, "values": [{"value", "label", "count"}, ...] most documents
    first, "more": how many values were left out past `top`}} over the documents matching `query` and the
    filters. Filter values in any spelling (values.resolve); an unknown one raises values.UnknownValue."""
    given = {k: v for k, v in filters.items() if v not in (None, "", [])}
    docs, args = _EVERYTHING, []
    if query and query.strip() or set(given) - {"confidence"}:
        # the matching documents are found once (the query's FTS match and the filters' subqueries), kept in
        # a temporary table of this connection, and every facet reads them from there
        inner, match_args, _, _ = matching(conn, query, **given)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS facet_docs (rowid INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.facet_docs")
        conn.execute(f"INSERT INTO temp.facet_docs SELECT rowid FROM ({inner})", match_args)
        docs = "temp.facet_docs"
    conf = given.get("confidence")
    out: dict[str, dict] = {}
    for name in names:
        sql, sets = _FACETS[name]
        sql = sql.format(docs=docs, sure=" AND confidence >= ?" if conf and "{sure}" in sql else "")
        if docs == _EVERYTHING:
            sql = sql.replace(f" AND rowid IN {docs}", "").replace(f" AND doc IN {docs}", "")
        extra = [float(conf)] if conf and "confidence >= ?" in sql else []
        rows = [r for r in conn.execute(sql, args + extra) if r[0]]
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
