"""The persuasion measure comparable across languages and lengths (marsad/techniques/persuasion.py, issue 17
item 2): its properties on hand-made records, the shipped calibration, the record field's validation, and the
outlet profiles (CLI and web) that show it."""
from __future__ import annotations

import json
import math

import pytest

from marsad.record import validate
from marsad.techniques import persuasion as P

SENT = "The regime's butchers shelled the town again. Residents fled to the north."  # 12 words, 2 sentences


def _record(text: str, spans: list[tuple[str, int, int, float]], lang: str = "en") -> dict:
    sents, pos = [], 0
    for part in text.split(". "):
        end = pos + len(part) + (0 if part.endswith(".") else 1)
        sents.append({"start": pos, "end": min(end, len(text))})
        pos = end + 1
    return {"text": text, "language": lang, "sentences": sents,
            "techniques": [{"technique": t, "start": a, "end": b, "confidence": c} for t, a, b, c in spans]}


def _butchers(offset: int = 0, conf: float = 0.8):
    a = offset + SENT.index("butchers")
    return ("Name_Calling-Labeling", a, a + len("butchers"), conf)


def test_no_spans_scores_zero():
    p = P.persuasion(_record(SENT, []))
    assert p["score"] == 0 and p["per_1000_words"] == 0 and p["spans"] == 0
    assert set(p["families"]) == set(P.FAMILIES) and not any(p["families"].values())
    assert P.persuasion({"text": "", "language": "en", "techniques": []})["score"] == 0


def test_rate_is_length_invariant():
    """The same spans in a text twice as long, at the same density, give the same rate per 1,000 words."""
    once = _record(SENT, [_butchers()])
    twice = _record(SENT + " " + SENT, [_butchers(), _butchers(len(SENT) + 1)])
    a, b = P.persuasion(once), P.persuasion(twice)
    assert a["per_1000_words"] == b["per_1000_words"] > 0
    assert a["families"] == b["families"]
    # the 0..1 score shrinks short texts towards 0 (prior_words); the longer text is nearer its raw rate
    assert 0 < a["score"] <= b["score"] < 1
    no_prior = {**P.calibration(), "prior_words": 0}
    assert P.persuasion(once, no_prior)["score"] == P.persuasion(twice, no_prior)["score"]


def test_families_add_up_and_count_once_per_sentence():
    text = SENT
    a = text.index("shelled")
    rec = _record(text, [_butchers(conf=0.9), ("Loaded_Language", a, a + 7, 0.6),
                         ("Loaded_Language", text.index("again"), text.index("again") + 5, 0.4),
                         ("Appeal_to_Fear-Prejudice", text.index("Residents"), len(text), 0.7)])
    p = P.persuasion(rec)
    assert abs(sum(p["families"].values()) - p["per_1000_words"]) < 0.05
    assert {f for f, v in p["families"].items() if v} == {"attack_on_reputation", "manipulative_wording",
                                                          "justification"}
    # two Loaded_Language spans in one sentence: one occurrence of the family, with the higher confidence
    occ = P.occurrences(rec)
    assert [(k, f, c) for k, f, c in occ if f == "manipulative_wording"] == [(0, "manipulative_wording", 0.6)]
    assert len(occ) == 3


def test_list_numbers_and_punctuation_are_not_techniques():
    text = "3. القصف مستمر على المدينة."
    rec = {"text": text, "language": "ar", "sentences": [{"start": 0, "end": 2}, {"start": 3, "end": len(text)}],
           "techniques": [{"technique": "Loaded_Language", "start": 0, "end": 2, "confidence": 0.9}]}
    assert P.suppressed(rec["techniques"][0], text)
    assert P.persuasion(rec)["score"] == 0 and P.persuasion(rec)["spans"] == 0
    assert not P.suppressed({"start": 3, "end": 8}, text)
    assert P.suppressed({"start": 0, "end": 1}, "، ...")


def test_language_calibration_comes_from_the_data_file():
    cal = P.calibration()
    assert cal["method"] == P.METHOD and set(cal["languages"]) == {"ar", "en"}
    assert "benchmarks/persuasion_score.py" in cal["source"]
    assert 0 < cal["half"] and 0 <= cal["min_weight"] < 1 and cal["prior_words"] >= 0
    assert cal["map"] in ("family", "language", "scale", "none")
    for lang in ("ar", "en"):
        lc = cal["languages"][lang]
        ab = lc["families"].get("manipulative_wording") or lc.get("default")
        expected = (1 / (1 + math.exp(-(ab[0] + ab[1] * math.log(0.3 / 0.7))))) if ab else min(1, 0.3 * lc["scale"])
        assert P.weight(0.3, lang, "manipulative_wording", cal) == pytest.approx(expected)
    # each map on its own: a logistic map per family, and a scale
    fam = {"languages": {"xx": {"families": {"call": [1.0, 2.0]}, "default": [0.0, 1.0]}}}
    assert P.weight(0.5, "xx", "call", fam) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert P.weight(0.5, "xx", "distraction", fam) == pytest.approx(0.5)
    assert P.weight(0.3, "xx", "call", {"languages": {"xx": {"scale": 2.0}}}) == pytest.approx(0.6)
    assert P.weight(0.3, "xx", "call", {"languages": {"xx": {"scale": 2.0}}, "min_weight": 0.7}) == 0
    # an Arabic word counts words_factor English-equivalent words (Arabic says the same in fewer words)
    ar = "قصفت قوات النظام المدينة مرة أخرى."
    rec = {"text": ar, "language": "ar", "sentences": [{"start": 0, "end": len(ar)}],
           "techniques": [{"technique": "Loaded_Language", "start": 0, "end": 4, "confidence": 0.7}]}
    p = P.persuasion(rec)
    factor = cal["languages"]["ar"]["words_factor"]
    assert factor > 1 and p["words"] == pytest.approx(6 * factor, abs=0.1)
    w = P.weight(0.7, "ar", "manipulative_wording", cal)
    assert p["per_1000_words"] == pytest.approx(1000 * w / (6 * factor), abs=0.01)
    # each language has its own map; where the cross-validation chose none, a span weighs its confidence
    if cal["map"] == "none":
        assert P.weight(0.3, "ar", "manipulative_wording", cal) == P.weight(0.3, "en", "manipulative_wording", cal) == 0.3
    two = {"languages": {"ar": {"scale": 2.0}, "en": {"scale": 0.5}}}
    assert P.weight(0.3, "ar", "call", two) == pytest.approx(0.6) and P.weight(0.3, "en", "call", two) == pytest.approx(0.15)
    # a language without a calibration: the confidence itself
    assert P.weight(0.7, "fr", "call", cal) == 0.7


def _full_record(rec: dict) -> dict:
    return {"schema": "marsad/1", "id": "x", "mentions": [], "entities": {}, "events": [], "scores": {}, **rec}


def test_the_record_field_validates():
    rec = _record(SENT, [_butchers()])
    rec["persuasion"] = P.persuasion(rec)
    assert validate(_full_record(rec)) == []
    for bad, msg in (({"score": 1.5}, "score"), ({"per_1000_words": -1}, "per_1000_words"),
                     ({"families": {"nonsense": 1.0}}, "unknown family"), ({"method": None}, "method"),
                     ({"families": {"call": 500.0}}, "add up")):
        broken = dict(rec, persuasion={**rec["persuasion"], **bad})
        assert any(msg in p for p in validate(_full_record(broken))), bad
    assert validate(_full_record(dict(rec, persuasion="high"))) == ["persuasion is not an object"]


def test_the_analysis_writes_it():
    import marsad

    rec = marsad.analyze("The so-called peace plan is a blatant lie, and the criminal regime knows it. "
                         "Residents fled.", language="en", profile="fast")  # v1; the accurate profile's v2:
    assert validate(rec) == []                                              # test_persuasion_encoder.py
    p = rec["persuasion"]
    assert p["method"] == P.METHOD and 0 < p["score"] < 1 and p["spans"] >= 1
    assert p == P.persuasion(rec)
    assert "persuasion" in rec["scores"]  # the older share-of-characters measure is kept


def test_profiles_show_it(tmp_path, capsys):
    from marsad.corpus import Corpus
    from marsad.corpus.cli import main
    from marsad.corpus.compare import profiles

    docs = [{"id": "p1", "source": "partisan", "language": "en",
             "text": "The so-called peace plan is a blatant lie, and the criminal regime knows it. Wake up!"},
            {"id": "w1", "source": "wire", "language": "en",
             "text": "Air strikes hit the town on Monday, killing 15 people, a monitor said."}]
    db = str(tmp_path / "p.db")
    with Corpus(db) as c:
        assert c.ingest(docs).added == 2
        ps = profiles(c)
    for outlet in ("partisan", "wire"):
        pe = ps[outlet]["persuasion"]
        # the accurate profile's records (the default) add their encoder component: the v2 score's two parts
        assert set(pe) == {"score", "per_1000_words", "families", "technique_score", "encoder"}
        assert 0 <= pe["score"] < 1
        assert ps[outlet]["over_time"][0]["persuasion"] == pe
    assert ps["partisan"]["persuasion"]["score"] > ps["wire"]["persuasion"]["score"]
    assert main(["compare", "--db", db, "--profiles"]) == 0
    assert "persuasion: score" in capsys.readouterr().out
    assert main(["compare", "--db", db, "--profiles", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["partisan"]["persuasion"]["per_1000_words"] > 0

    pytest.importorskip("fastapi")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from marsad.web.app import create_app

    client = TestClient(create_app(db, None))
    assert client.get("/api/profiles").json()["outlets"]["wire"]["persuasion"] == ps["wire"]["persuasion"]
    page = client.get("/profiles").text
    assert "persuasion score" in page
    assert f'>{ps["partisan"]["persuasion"]["score"]:.2f}</td>' in page


def test_a_deleted_span_leaves_the_measure_by_correction():
    from marsad.corpus.corrections import apply_corrections

    rec = _full_record(_record(SENT, [_butchers()]))
    rec["persuasion"] = P.persuasion(rec)
    assert rec["persuasion"]["score"] > 0
    sp = rec["techniques"][0]
    fixed = apply_corrections(rec, [{"id": 1, "doc_id": "x", "target": "technique", "target_start": sp["start"],
                                     "target_end": sp["end"], "target_n": 0, "field": "deleted",
                                     "old_value": "false", "new_value": "true"}])
    assert fixed["techniques"] == [] and fixed["persuasion"]["score"] == 0 and validate(fixed) == []
