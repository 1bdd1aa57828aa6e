"""How different outlets and languages tell the same events (`marsad compare`).

`clusters(corpus)` groups the stored events of one type family (the ACLED event type; `Other` events by
their PLOVER type) whose places lie within `km` of each other and whose dates lie within `days`
(single linkage in space: an event joins a cluster when it lies within `km` of any of its events
and the cluster then still spans at most `days`), and keeps the clusters
reported by at least `min_outlets` outlets (documents.source; documents without one count as outlets of
their own, named by document id). For each it tells, per outlet, the languages, the modality of its
events, the words of the evidence, the group labels it uses ("terrorists", "rebels", "الثوار": mentions
with a `label` in the sentences of the evidence) and the casualty figures, with `disagree` set when the
outlets' totals or civilian counts differ by more than 10%. `stories` counts the cluster's documents with wire
copies and republished articles (near-duplicate groups, duplicates.py) counted once, and `copies` lists, for each
story several of its outlets ran, those outlets.

With the optional sentence encoder (similar.py; `pip install 'marsad[compare]'`) each event is also embedded
(its document's title and the sentences of its evidence, one multilingual space for Arabic and English):
a place/date cluster splits where its documents share no sentence pair with a cosine of at least
`split_below`, and events with no place or only a country (`coarse_features`), otherwise left out, join the
cluster of their family within the date window that holds a near-identical event (`join_above`, or
`join_above_across_languages` between an Arabic and an English sentence); settings.toml [compare] gives the
figures and why. Each cluster then has `similarity` (None without the encoder) and each event `joined_by`
("place" or "text").

Outlet profiles live in profiles.py (`profiles`, `render_profiles` are re-exported here); what a cluster says
per outlet, and the text rendering, in compare_report.py.

Pure SQL and Python (numpy for the embeddings); nothing is stored.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict

from .compare_report import DISAGREE, _describe, _records, family, render_clusters  # noqa: F401 (also compare.X)
from .profiles import profiles, render_profiles  # noqa: F401  (the public names of `marsad compare`)


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _day(date: str | None) -> int | None:
    """Days since 0001-01-01 for YYYY-MM-DD (or YYYY-MM / YYYY: the first day); None when unreadable."""
    import datetime as dt

    if not isinstance(date, str):
        return None
    parts = date[:10].split("-")
    try:
        y, m, d = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        return dt.date(y, m, d).toordinal()
    except (ValueError, IndexError):
        return None


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


_EVENTS_SQL = """
SELECT e.doc, e.n, e.type, e.sub_type, e.plover, e.place, e.lat, e.lon, coalesce(e.date, d.published),
       e.modality, e.fatalities, e.civilians, e.evidence_start, e.evidence_end, e.actor1, e.actor1_side,
       e.actor2, e.actor2_side, e.claimed_by, d.id, coalesce(d.source, d.id), d.language, d.published,
       {place}
FROM events e JOIN documents d ON d.rowid = e.doc
ORDER BY e.doc, e.n
"""
# the country and (when it has no admin1: a country, a region) the gazetteer feature of the event's place,
# read only with embeddings, which treat coarse places apart
_PLACE_SQL = """(SELECT p.country FROM entities p WHERE p.doc = e.doc AND p.entity = e.place LIMIT 1),
       (SELECT json_extract(d.record, '$.entities."' || e.place || '".feature') FROM entities p
        WHERE p.doc = e.doc AND p.entity = e.place AND p.admin1 IS NULL LIMIT 1)"""
# columns of a row above
DOC, LAT, LON, ES, EE, OUTLET, LANG, PUBLISHED, COUNTRY, FEATURE = 0, 6, 7, 12, 13, 20, 21, 22, 23, 24


def clusters(corpus, *, km: float = 25.0, days: int = 3, min_outlets: int = 2,
             embeddings: bool | None = None, background: bool = False) -> list[dict]:
    """Events told by at least `min_outlets` outlets, grouped (see the module doc). Sorted by number of
    outlets, then number of events, most first. `embeddings`: None uses the sentence encoder when it is
    installed (similar.encoder()), False never, True requires it (RuntimeError when missing).
    `background`: also group events their article dates more than `background_days` (settings.toml
    [compare]) before its own publication ("since the protests began in March 2011"): left out by default,
    since outlets recalling the war's history do not report a new event."""
    from . import duplicates, similar

    encode = similar.encoder() if embeddings is not False else None
    if embeddings and encode is None:
        raise RuntimeError(f"compare: sentence embeddings need `pip install {similar.PACKAGE}` "
                           "(or marsad's `compare` extra)")
    conf = similar.settings()
    coarse = set(conf["coarse_features"]) if encode else set()
    rows = []
    for r in corpus.conn.execute(_EVENTS_SQL.format(place=_PLACE_SQL if encode else "NULL, NULL")):
        fam, day = family(r[2], r[4]), _day(r[8])
        if fam is None or day is None:
            continue
        published = _day(r[PUBLISHED])
        if not background and published is not None and published - day > conf["background_days"]:
            continue
        located = r[LAT] is not None and r[LON] is not None and r[FEATURE] not in coarse
        if located or encode:  # without embeddings an event needs coordinates to be grouped at all
            rows.append((fam, day, r, located))
    uf = _Union(len(rows))
    span = [(day, day) for _, day, _, _ in rows]  # root -> (first, last) day of its cluster
    _by_place(rows, uf, span, km, days)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        if rows[i][3]:
            groups[uf.find(i)].append(i)
    parts, vec, by_text = list(groups.values()), {}, set()
    if encode:
        parts, vec, by_text = _refine(corpus, rows, parts, encode, conf, days)
    outlet_of, doc_of = [r[2][OUTLET] for r in rows], [r[2][DOC] for r in rows]
    keep = [g for g in parts if len({outlet_of[i] for i in g}) >= max(1, min_outlets)]
    records = _records(corpus, {rows[i][2][DOC] for g in keep for i in g})
    out = []
    for g in keep:
        c = _describe([rows[i][:3] + (i in by_text,) for i in g], records)
        c["similarity"] = (similar.similarity(g, doc_of, outlet_of, vec)
                           if encode and len(g) <= conf["max_cluster_events"] else None)
        out.append(c)
    for c, (stories, copies) in zip(out, duplicates.stories(corpus.conn, [{doc_of[i] for i in g} for g in keep])):
        c["stories"], c["copies"] = stories, copies
    out.sort(key=lambda c: (-len(c["outlets"]), -len(c["events"]), c["dates"][0], c["type"]))
    for n, c in enumerate(out, start=1):
        c["id"] = n
    return out


def _by_place(rows, uf, span, km, days) -> None:
    """Join located events of one family within `km` and `days` (the whole cluster spanning at most `days`)."""
    by_family: dict[str, list[int]] = defaultdict(list)
    for i, (fam, _, _, located) in enumerate(rows):
        if located:
            by_family[fam].append(i)
    for idx in by_family.values():
        idx.sort(key=lambda i: rows[i][1])
        days_sorted = [rows[i][1] for i in idx]
        for a, i in enumerate(idx):
            r = rows[i][2]
            stop = bisect.bisect_right(days_sorted, rows[i][1] + days)
            for j in idx[a + 1:stop]:
                s = rows[j][2]
                a_root, b_root = uf.find(i), uf.find(j)
                if a_root == b_root or _km(r[LAT], r[LON], s[LAT], s[LON]) > km:
                    continue
                lo, hi = min(span[a_root][0], span[b_root][0]), max(span[a_root][1], span[b_root][1])
                if hi - lo <= days:  # no chaining past the window: a whole cluster spans at most `days`
                    uf.join(i, j)
                    span[uf.find(i)] = (lo, hi)


def _evidence(corpus, rows, idx) -> dict[int, str]:
    """row index -> the text embedded for it: the document's title, then the event's evidence (whitespace
    folded), read straight from documents. The headline says what the story is about, which the evidence
    alone often does not ("He blamed the attack squarely on Assad"). The evidence, not its whole sentence:
    on FA-KES dev the whole sentences, which often tell several things, split same-event pairs more often."""
    out = {}
    q = "SELECT title, substr(text, ? + 1, ? - ?) FROM documents WHERE rowid = ?"
    for i in idx:
        r = rows[i][2]
        if isinstance(r[ES], int) and isinstance(r[EE], int) and r[EE] > r[ES]:
            title, evidence = corpus.conn.execute(q, (r[ES], r[EE], r[ES], r[DOC])).fetchone()
            evidence = " ".join((evidence or "").split())
            if evidence:
                title = " ".join((title or "").split())
                out[i] = f"{title}. {evidence}" if title else evidence
    return out


def _refine(corpus, rows, parts, encode, conf, days):
    """With sentence embeddings: split place/date clusters whose documents tell different things, then let
    the events without a usable place (none, or only a country) join the cluster, of their family and
    within the date window, whose evidence is near-identical to theirs (or start one such events can join).
    Returns (parts, row -> unit vector, the rows grouped by text)."""
    from . import similar

    doc_of = [r[2][DOC] for r in rows]
    loose = sorted((i for i in range(len(rows)) if not rows[i][3]), key=lambda i: rows[i][1])
    cap = conf["max_cluster_events"]  # bigger place/date clusters are kept as the rules make them
    multi = [g for g in parts if len(g) <= cap and len({doc_of[i] for i in g}) > 1]
    multi_ids = {id(g) for g in multi}
    # located events a loose one might join: same family, within the window of one of them
    near_loose = set()
    loose_days: dict[str, list[int]] = defaultdict(list)
    for i in loose:
        loose_days[rows[i][0]].append(rows[i][1])  # sorted, as loose is
    for g in parts:
        ds = loose_days.get(rows[g[0]][0])
        if ds:
            lo, hi = min(rows[i][1] for i in g), max(rows[i][1] for i in g)
            if bisect.bisect_right(ds, hi + days) > bisect.bisect_left(ds, lo - days):
                near_loose.update(g)
    need = sorted({i for g in multi for i in g} | near_loose | set(loose))
    texts = _evidence(corpus, rows, need)
    keys = list(texts)
    vec = dict(zip(keys, encode([texts[i] for i in keys]))) if keys else {}
    out = []
    for g in parts:
        out.extend(similar.split(g, doc_of, vec, conf["split_below"]) if id(g) in multi_ids else [g])
    return _join_loose(rows, out, [i for i in loose if i in vec], vec, conf, days), vec, set(loose)


def _join_loose(rows, groups, loose, vec, conf, days) -> list[list[int]]:
    """Put each loose event (day order) in the group of its family whose span stays within `days`, whose
    places' countries agree with its own (when both are known) and which holds the event closest to it among
    those at or above the threshold; else it starts a group of its own, which later loose events may join.
    Cosines across languages run lower than within one, so a pair in two languages has its own threshold."""
    import numpy as np

    meta = []  # per group: [family, first day, last day, countries, unit vectors, languages]
    by_family: dict[str, list[int]] = defaultdict(list)

    def add(n, members):
        fam = rows[members[0]][0]
        with_vec = [j for j in members if j in vec]
        meta.append([fam, min(rows[j][1] for j in members), max(rows[j][1] for j in members),
                     {rows[j][2][COUNTRY] for j in members} - {None},
                     np.stack([vec[j] for j in with_vec]) if with_vec else None,
                     np.array([rows[j][2][LANG] or "" for j in with_vec])])
        by_family[fam].append(n)

    for n, g in enumerate(groups):
        add(n, g)
    same, across = conf["join_above"], conf["join_above_across_languages"]
    for i in loose:
        fam, day, country, lang = rows[i][0], rows[i][1], rows[i][2][COUNTRY], rows[i][2][LANG] or ""
        best, best_sim = None, -1.0
        for n in by_family[fam]:
            _, lo, hi, countries, mat, langs = meta[n]
            if mat is None or max(hi, day) - min(lo, day) > days or (country and countries - {country}):
                continue
            sims = mat @ vec[i]
            ok = sims >= np.where(langs == lang, same, across)
            if ok.any() and float(sims[ok].max()) > best_sim:
                best, best_sim = n, float(sims[ok].max())
        if best is None:
            groups.append([i])
            add(len(groups) - 1, [i])
        else:
            groups[best].append(i)
            m = meta[best]
            m[1], m[2] = min(m[1], day), max(m[2], day)
            if country:
                m[3].add(country)
            m[4] = np.vstack([m[4], vec[i][None, :]])
            m[5] = np.append(m[5], lang)
    return groups
