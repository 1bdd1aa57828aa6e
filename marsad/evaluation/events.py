"""Events on FA-KES (Syrian war news, 2011-18): the main event's governorate, responsible side and civilian toll.

Data: FA-KES's CSV (unit_id, article_title, article_content, source, date M/D/YY, location, actor, nb_civilians,
...; Abu Salem et al., ICWSM 2019, CC BY 4.0), the gold coded against the Violations Documentation Center.

Each article's main event: of its events of a violent ACLED type (Battles, Explosions/Remote violence, Violence
against civilians) told as fact (modality asserted or reported), the one with the most dead (total, else
civilians + combatants); on a tie the first in the text. An article without one predicts no location, the
actor "unknown" and 0 civilians. Measures, each beside the share a constant answer (the majority class) would
get: location accuracy (the governorate of the event's place, or the place's own name, matched to the gold
governorate; FA-KES counts Rif Dimashq as Damascus), actor accuracy (the side of actor1 as FA-KES's class; no
actor1 is "unknown"; al-Nusra counts with the armed opposition) and civilians exact (the predicted civilian dead equal the gold count).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from ..ingest import Document
from . import EvalError

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
AS_FACT = {"asserted", "reported"}
# FA-KES location -> the names marsad may give its governorate (GeoNames admin1 names and common spellings)
GOVERNORATE_NAMES = {
    "aleppo": "Aleppo Halab", "damascus": "Damascus Dimashq Rif-Dimashq Rural-Damascus", "idlib": "Idlib Idleb",
    "deir ezzor": "Deir-ez-Zor Deir-Ezzor Dayr-az-Zawr Deir-al-Zor", "raqqa": "Raqqa Ar-Raqqah Rakka",
    "homs": "Homs Hims", "hasakeh": "Al-Hasakah Hasakah Hasakeh Hasaka", "hama": "Hama Hamah",
    "daraa": "Daraa Deraa Dara", "lattakia": "Latakia Lattakia Al-Ladhiqiyah", "quneitra": "Quneitra Al-Qunaytirah",
    "tartous": "Tartus Tartous", "sweida": "As-Suwayda Sweida Suwayda"}
# marsad's actor side -> FA-KES's actor class (the VDC counts Iran-backed militias with the government)
CLASS_OF_SIDE = {"syrian_government": "government", "russia": "government", "iran_axis": "government",
                 "isis": "isis", "us_coalition": "coalition", "opposition": "opposition", "jihadist": "opposition",
                 "sdf": "self administration"}
# FA-KES's classes by a word of each; its "al-nusra front" counts with the armed opposition, as marsad's
# "jihadist" side (al-Nusra, HTS...) does: marsad has no side of al-Nusra's own
_GOLD_CLASSES = {"government": "government", "isis": "isis", "coalition": "coalition", "opposition": "opposition",
                 "self administration": "self administration", "nusra": "opposition"}


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


_GOVERNORATE_OF = {_key(alias): gold for gold, names in GOVERNORATE_NAMES.items() for alias in names.split()}


def gold_actor_class(value: str) -> str:
    """FA-KES's actor column ("syrian government or russian troops", "... - isis") as a short class."""
    return next((c for word, c in _GOLD_CLASSES.items() if word in value.lower()), "unknown")


def _published(value: str) -> str | None:
    try:
        return dt.datetime.strptime(value.strip(), "%m/%d/%y").date().isoformat()
    except ValueError:
        return None


def examples(path: Path) -> Iterator[tuple[Document, dict]]:
    if path.is_dir() or path.suffix.lower() != ".csv":
        raise EvalError(f"{path}: give FA-KES's .csv file (fakes_dev.csv or FA-KES-Dataset.csv)")
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = csv.DictReader(fh)
        needed = {"unit_id", "article_content", "location", "actor"}
        if not needed <= set(rows.fieldnames or ()):
            raise EvalError(f"{path}: not FA-KES: needs the columns {', '.join(sorted(needed))}")
        for n, row in enumerate(rows, 1):
            doc = Document(id=row["unit_id"] or f"row{n}", text=row["article_content"] or "",
                           title=row.get("article_title"), source=row.get("source"),
                           published=_published(row.get("date") or ""), language="en")
            civilians = (row.get("nb_civilians") or "").strip()
            yield doc, {"location": row["location"].strip().lower(), "actor": gold_actor_class(row["actor"]),
                        "civilians": int(float(civilians)) if civilians else 0}


def _dead(event: dict) -> int:
    f = event.get("fatalities") or {}
    return f.get("total") or (f.get("civilians") or 0) + (f.get("combatants") or 0)


def main_event(record: dict) -> dict | None:
    candidates = [e for e in record.get("events", []) if e.get("type") in VIOLENT and e.get("modality") in AS_FACT]
    return min(candidates, key=lambda e: (-_dead(e), e["evidence"]["start"]), default=None)


def predicted(record: dict) -> dict:
    """The main event's governorate (None when not in Syria's list), actor class and civilian dead."""
    event = main_event(record)
    if event is None:
        return {"location": None, "actor": "unknown", "civilians": 0}
    entities = record.get("entities", {})
    place = entities.get(event.get("place")) or {}
    names = [place.get("admin1"), place.get("name")]  # its governorate, or itself where it has none
    location = next((_GOVERNORATE_OF[_key(n)] for n in names if n and _key(n) in _GOVERNORATE_OF), None)
    actor = entities.get(event.get("actor1")) or {}
    return {"location": location, "actor": CLASS_OF_SIDE.get(actor.get("side"), "unknown"),
            "civilians": (event.get("fatalities") or {}).get("civilians") or 0}


class Scorer:
    MEASURES = {"location": "location accuracy", "actor": "actor accuracy", "civilians": "civilians exact"}

    def __init__(self):
        self.right = Counter()
        self.gold: dict[str, Counter] = {k: Counter() for k in self.MEASURES}
        self.n = 0

    def add(self, record: dict, gold: dict) -> None:
        guess = predicted(record)
        self.n += 1
        for k in self.MEASURES:
            self.right[k] += guess[k] == gold[k]
            self.gold[k][gold[k]] += 1

    def rows(self) -> list[dict]:
        share = (lambda x: round(x / self.n, 4)) if self.n else (lambda x: 0.0)
        return [{"measure": name, "value": share(self.right[k]), "gold": self.n,
                 "baseline": share(self.gold[k].most_common(1)[0][1]) if self.gold[k] else 0.0}
                for k, name in self.MEASURES.items()]
