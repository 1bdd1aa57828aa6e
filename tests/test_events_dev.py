"""The events dev set (benchmarks/events_dev): the gold file's integrity without the data, and, where
../shared/data is present, that every snippet is in its text and the texts have not changed."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from marsad.corpus.corrections import EVENT_TYPES
from marsad.corpus.values import MODALITIES
from marsad.entities.actors import SIDES

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "benchmarks" / "events_dev" / "gold.jsonl"
TYPES = set(EVENT_TYPES) | {"Other"}
SUB_TYPES = {  # ACLED's sub-event types (ACLED Codebook 2023)
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Chemical weapon",
    "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
    "Grenade", "Sexual violence", "Attack", "Abduction/forced disappearance", "Peaceful protest",
    "Protest with intervention", "Excessive force against protesters", "Violent demonstration", "Mob violence",
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other"}
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "DISAPPROVE", "DEMAND"}
EVENT_FIELDS = {"id", "snippet", "type", "sub_type", "plover", "actor1", "actor2", "place", "modality", "claimed_by",
                "background"}
FORBID = {"forbid_modality", "forbid_type", "forbid_sub_type", "forbid_actor1"}


def _docs() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scorer():
    spec = importlib.util.spec_from_file_location("events_dev", ROOT / "benchmarks" / "events_dev.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _as_list(v):
    return v if isinstance(v, list) else [v]


def test_gold_integrity():
    docs = _docs()
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)) >= 40
    langs = [d["language"] for d in docs]
    assert langs.count("ar") >= 20 and langs.count("en") >= 20
    sources = [(d["source"]["file"], d["source"]["value"]) for d in docs]
    assert len(sources) == len(set(sources))
    for d in docs:
        assert set(d["source"]) >= {"file", "key", "value", "field"} and len(d["sha256"]) == 64
        places = {p["name"] for p in d["places"]}
        for p in d["places"]:
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
        for a in d["actors"]:
            assert a["side"] in SIDES, (d["id"], a)
        ev_ids = [e["id"] for e in d["events"]] + [m["id"] for m in d["must_not"]]
        assert len(ev_ids) == len(set(ev_ids)), d["id"]
        for e in d["events"]:
            assert EVENT_FIELDS <= set(e), (d["id"], e["id"])
            assert e["snippet"].strip() and set(_as_list(e["type"])) <= TYPES, (d["id"], e["id"])
            assert e["sub_type"] is None or set(e["sub_type"]) <= SUB_TYPES, (d["id"], e["id"])
            assert e["plover"] in PLOVER, (d["id"], e["id"])
            assert e["modality"] and set(e["modality"]) <= set(MODALITIES), (d["id"], e["id"])
            assert all(p in places for p in ([] if e["place"] is None else _as_list(e["place"]))), (d["id"], e["id"])
            for role in ("actor1", "actor2"):
                assert e[role] is None or (e[role]["name"] and e[role]["accept"]), (d["id"], e["id"], role)
            assert isinstance(e["background"], bool)
        for m in d["must_not"]:
            assert m["snippet"].strip() and FORBID & set(m), (d["id"], m["id"])
            assert set(m.get("forbid_modality", [])) <= set(MODALITIES)
            assert set(m.get("forbid_type", [])) <= TYPES
    # enough real events to score on, in both languages
    required = [(d["language"], e) for d in docs for e in d["events"] if not e.get("optional")]
    assert sum(1 for lang, _ in required if lang == "ar") >= 15 and sum(1 for lang, _ in required if lang == "en") >= 20


def test_texts_match_when_data_present():
    ev = _scorer()
    if not ev.DATA.exists():
        pytest.skip(f"{ev.DATA} not present (the dev set's texts stay in ../shared/data)")
    for d in _docs():
        try:
            text = ev.source_text(d)
        except ev.DataMissing as e:
            if "not found" in str(e):
                pytest.skip(str(e))
            raise
        assert ev.sha256(text) == d["sha256"]
        for item in d["events"] + d["must_not"]:
            assert ev.span(text, item) is not None, (d["id"], item["id"])


def test_side_swap_maps_offsets_back():
    ev = _scorer()
    text = "The Syrian army shelled Aleppo; the Free Syrian Army answered from Idlib."
    new, pieces = ev.swap_text(text, "en")
    assert new == "The Free Syrian Army shelled Mosul; the Syrian army answered from Raqqa."
    start = new.index("shelled")
    assert text[ev.map_back(start, pieces):].startswith("shelled")
    assert ev.map_back(len(new), pieces) == len(text)
    new_ar, pieces_ar = ev.swap_text("قصفت الطائرات الروسية حلب وبدمشق", "ar")
    assert new_ar == "قصفت الطائرات الأمريكية الموصل وببغداد"
