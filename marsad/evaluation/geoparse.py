"""Place names resolved to GeoNames: exact id accuracy, country accuracy, median error (km), acc@161 km.

Data (evaluation only; never shipped): LGL (lgl.xml), TR-News (TR-News.xml) and GeoWebNews (GWN.xml) as
republished in github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation, or JSONL of
`{"id", "text", "toponyms": [{"start", "end", "id", "country"?}]}` a line (benchmarks/data/geoparse-*.jsonl).
Gold toponyms without a GeoNames id or coordinates are left out (and GeoWebNews' non-locational ones).

`marsad eval geoparse` scores the whole analysis: each gold toponym takes the place of a mention overlapping it
(the mention's entity, or for a state's name its territory), so a name marsad does not find counts as wrong.
benchmarks/geoparse.py also scores resolution alone (`resolve_gold`: the gold spans given as LOC mentions), as
geoparsing papers do (Gritta et al. 2019). An unresolved toponym is 20,038 km off (half the Earth's
circumference); the right GeoNames place is 0 km off whatever centre each side gives it.
"""
from __future__ import annotations

import functools
import math
import re
import statistics
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from ..ingest import Document
from . import EvalError, jsonl

MISS_KM = 20038.0


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    p1, p2, dl = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def country_codes() -> dict[str, str]:
    """GeoNames country id -> ISO code, from marsad's gazetteer."""
    from ..places.gazetteer import load

    return {p.id.split(":")[1]: p.country for p in load().places.values() if p.feature == "country"}


def _listed(place_id: str) -> bool:
    """Whether the gold place is one of marsad's (either tier): a toponym whose place is not (a park, a river, a
    street) can only be missed, so the exact id among listed ones measures resolution apart from coverage."""
    from ..places import describe

    return describe(place_id) is not None or place_id in _linked()


@functools.cache
def _linked() -> frozenset[str]:
    """The GeoNames ids that places of marsad's own name as the feature they are (gazetteer.Place.geonames)."""
    from ..places.gazetteer import load

    return frozenset(p.geonames for p in load().places.values() if p.geonames)


def _gold_country(geonames_id: str) -> str | None:
    from ..places import describe

    return (describe(f"geonames:{geonames_id}") or {}).get("country")


def iter_xml(path: Path, codes: dict[str, str]) -> Iterator[dict]:
    """lgl.xml / TR-News.xml (gaztag) or GWN.xml (geonamesID) -> documents with gold toponyms, one at a time.
    `split`: "tune" at even positions, "report" at odd ones (benchmarks/geoparse.py's halves)."""
    try:
        articles = ET.iterparse(path, events=("end",))
        i = 0
        for _, art in articles:
            if art.tag != "article":
                continue
            text = art.findtext("text") or ""
            # the outlet: LGL's and TR-News' <domain>, GeoWebNews' <link> (places/home.py keys it by its host)
            yield {"id": f"{path.stem}-{art.get('docid') or art.get('file') or i}", "text": text,
                   "toponyms": _xml_toponyms(art, text, codes), "split": "tune" if i % 2 == 0 else "report",
                   "source": (art.findtext("domain") or art.findtext("link") or "").strip() or None}
            art.clear()
            i += 1
    except (ET.ParseError, TypeError, ValueError) as e:  # not XML, or toponyms without start/end numbers
        raise EvalError(f"{path}: not an LGL / TR-News / GeoWebNews XML file ({e})") from None


REALIGN_CHARS = 100  # how far from its published offsets a toponym's own phrase is looked for


def aligned(text: str, phrase: str | None, start: int, end: int) -> tuple[int, int]:
    """The span of the annotated phrase nearest the published offsets. TR-News' offsets drift by a few characters
    in 117 of its 1,319 toponyms (GeoWebNews' in 5; the published text lost characters the annotators counted:
    "Edmonton" at 414 reads "monton, "), so the phrase, which is what was annotated, places the span; offsets that
    already hold the phrase, or with no occurrence of it within REALIGN_CHARS, stay as published."""
    if not phrase or text[start:end] == phrase:
        return start, end
    lo = max(0, start - REALIGN_CHARS - len(phrase))
    window = text[lo:start + REALIGN_CHARS + len(phrase)]
    hits = [lo + m.start() for m in re.finditer(f"(?={re.escape(phrase)})", window)]  # every start, overlapping too
    if not hits:
        return start, end
    best = min(hits, key=lambda k: abs(k - start))
    return best, best + len(phrase)


def _xml_toponyms(art, text: str, codes: dict[str, str]) -> list[dict]:
    tops = []
    for t in art.iter("toponym"):
        start, end = aligned(text, t.findtext("phrase") or t.findtext("extractedName"),
                             int(t.findtext("start")), int(t.findtext("end")))
        g = t.find("gaztag")
        if g is not None:
            gid, lat, lon = g.get("geonameid"), g.findtext("lat"), g.findtext("lon")
            c = g.find("country")
            cc = codes.get(c.get("geonameid")) if c is not None else None
        else:
            if t.findtext("nonLocational") == "Yes":
                continue
            gid, lat, lon, cc = t.findtext("geonamesID"), t.findtext("latitude"), t.findtext("longitude"), None
        if not gid or not lat or not lon:
            continue
        if cc is None:  # GeoWebNews gives no country: the gold place's own, where GeoNames' tables list it
            cc = _gold_country(gid)
        tops.append({"start": start, "end": end, "id": f"geonames:{gid}", "lat": float(lat), "lon": float(lon),
                     "country": cc})
    return tops


def iter_jsonl(path: Path) -> Iterator[dict]:
    """marsad's own paragraphs; `split`: "tune" for ids ending in -tune, else "report"."""
    from ..places import describe

    def parse(n: int, d: dict) -> dict:
        for t in d["toponyms"]:
            p = describe(t["id"]) or {}  # the gold place's coordinates and country
            t.setdefault("lat", p.get("lat"))
            t.setdefault("lon", p.get("lon"))
            t.setdefault("country", p.get("country"))
        d["id"], d["text"] = str(d.get("id") or f"line{n}"), str(d["text"])
        d["split"] = "tune" if d["id"].endswith("-tune") else "report"
        return d

    return jsonl(path, parse, "a JSON object with text and toponyms [{start, end, id}]")


def read(path: Path, codes: dict[str, str] | None = None) -> Iterator[dict]:
    if path.suffix.lower() == ".xml":
        return iter_xml(path, country_codes() if codes is None else codes)
    if path.suffix.lower() in (".jsonl", ".json"):
        return iter_jsonl(path)
    raise EvalError(f"{path}: give an LGL / TR-News / GeoWebNews .xml file or a .jsonl of toponyms")


def examples(path: Path) -> Iterator[tuple[Document, dict]]:
    for d in read(path):
        yield Document(id=d["id"], text=d["text"]), d


def found_places(record: dict, toponyms: list[dict]) -> list[str | None]:
    """For each gold toponym, the place id of a mention of `record` overlapping it (None: not found)."""
    entities = record.get("entities", {})
    out = []
    for t in toponyms:
        hits = [m for m in record.get("mentions", []) if m["start"] < t["end"] and t["start"] < m["end"]]
        ids = (m.get("place") or m.get("entity") for m in hits)
        out.append(next((i for i in ids if i in entities and entities[i].get("kind") == "place"), None))
    return out


def resolve_gold(d: dict, home: tuple[str, ...] = ()) -> tuple[list[str | None], dict]:
    """Resolution alone: the gold spans given to marsad.places.resolve as LOC mentions (`home`: the outlet's home
    area, places/home.py)."""
    from ..places import resolve

    text = d["text"]
    mentions = [{"start": t["start"], "end": t["end"], "text": text[t["start"]:t["end"]], "type": "LOC"}
                for t in d["toponyms"]]
    entities = resolve(mentions, text, home=home)
    return [m.get("entity") for m in mentions], entities


class Scorer:
    """`misses`: a list to collect the wrong resolutions in (for benchmarks/geoparse.py)."""

    def __init__(self, misses: list | None = None):
        self.n = self.exact = self.country_n = self.country_ok = 0
        self.listed = self.listed_exact = 0  # gold places that are in marsad's tables: resolution apart from coverage
        self.errors: list[float] = []
        self.misses = misses

    def add(self, record: dict, gold: dict) -> None:
        self.add_resolved(gold, found_places(record, gold["toponyms"]), record.get("entities", {}))

    def add_resolved(self, gold: dict, place_ids: list[str | None], entities: dict) -> None:
        for t, pid in zip(gold["toponyms"], place_ids):
            e = entities.get(pid) if pid else None
            # a place of marsad's own names the GeoNames feature it is (`geonames`: the Red Sea's 350155)
            same = pid == t["id"] or bool(e) and e.get("geonames") == t["id"]
            self.n += 1
            self.exact += same
            if _listed(t["id"]):
                self.listed += 1
                self.listed_exact += same
            if t.get("country"):
                self.country_n += 1
                self.country_ok += bool(e) and e.get("country") == t["country"]
            err = 0.0 if same else km((t["lat"], t["lon"]), (e["lat"], e["lon"])) \
                if e and e.get("lat") is not None and t.get("lat") is not None else MISS_KM
            self.errors.append(err)
            if self.misses is not None and not same:
                self.misses.append((gold["id"], gold["text"][t["start"]:t["end"]], t["id"], t.get("country"), pid,
                                    e and e.get("name"), e and e.get("country"), round(err)))

    def summary(self) -> dict:
        n = self.n
        return {"toponyms": n, "exact_id": round(self.exact / n, 4) if n else None,
                "country": round(self.country_ok / self.country_n, 4) if self.country_n else None,
                "country_n": self.country_n,
                "median_km": round(statistics.median(self.errors), 1) if self.errors else None,
                "acc161": round(sum(e <= 161 for e in self.errors) / n, 4) if n else None,
                "listed": self.listed,
                "exact_id_listed": round(self.listed_exact / self.listed, 4) if self.listed else None}

    def rows(self) -> list[dict]:
        s = self.summary()
        return [{"measure": "exact GeoNames id", "value": s["exact_id"], "gold": s["toponyms"]},
                {"measure": "country", "value": s["country"], "gold": s["country_n"]},
                {"measure": "acc@161 km", "value": s["acc161"], "gold": s["toponyms"]},
                {"measure": "median error km", "value": s["median_km"], "gold": s["toponyms"]},
                {"measure": "exact id, gold place in marsad's tables", "value": s["exact_id_listed"],
                 "gold": s["listed"]}]
