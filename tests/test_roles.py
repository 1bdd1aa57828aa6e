"""The learned role tagger (accurate profile): the roles it fills where the rules find none, and its trainer."""
from __future__ import annotations

import pytest

import marsad
from marsad.events import roles
from marsad.train import roles as train_roles

# a target the rules do not read ("killed 31 jihadists" after "regime planes"): only the tagger names it
PLANES = "On Sunday regime planes killed 31 jihadists in a wave of bombardment."
BLAST = "A rebel tunnel blast killed 38 regime forces in Aleppo."


def _roles(text: str) -> list[tuple]:
    return [(e["actor1"], e["actor2"]) for e in marsad.analyze(text, language="en", profile="accurate")["events"]]


@pytest.mark.skipif(not roles.MODEL.exists(), reason="no shipped role tagger")
def test_the_tagger_names_a_target_the_rules_leave_empty(monkeypatch):
    assert _roles(PLANES) == [("actor:syrian-air-force", "actor:jihadist-groups-generic")]
    assert _roles(BLAST) == [("actor:armed-opposition-generic", "actor:syrian-arab-army")]
    monkeypatch.setenv("MARSAD_ROLES_MODEL", "none")  # the rules alone
    assert _roles(PLANES) == [("actor:syrian-air-force", None)]
    assert _roles(BLAST) == [("actor:armed-opposition-generic", None)]


def test_the_fast_profile_has_no_tagger():
    record = marsad.analyze(PLANES, language="en", profile="fast")
    assert [(e["actor1"], e["actor2"]) for e in record["events"]] == [("actor:syrian-air-force", None)]


CAMEO_LIKE = [
    ("B-S I-S O B-T I-T O", "Syrian troops attacked rebel positions ."),
    ("B-S O B-T I-T O", "Rebels shelled army checkpoints ."),
    ("B-S I-S O O B-T I-T O", "Israeli jets struck a Hamas base ."),
    ("B-S O O B-T I-T O", "Police arrested the protest leaders ."),
    ("B-S I-S O B-T O", "Turkish forces bombed Kurdish positions ."),
    ("B-R O B-R O O", "Russia and Turkey held talks ."),
]


def test_the_trainer_cross_validates_and_writes_a_model_the_pipeline_reads(tmp_path, capsys, monkeypatch):
    data = tmp_path / "cameo.txt"
    data.write_text("".join("".join(f"{w} {t}\n" for w, t in zip(s.split(), tags.split())) + "\n"
                            for tags, s in CAMEO_LIKE * 2), encoding="utf-8")
    assert train_roles.main(["--data", str(data), "--cv", "2"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("S {'precision'") and "'gold': 10" in printed  # 5 sources a copy, two copies
    model = tmp_path / "roles.crfsuite"
    assert train_roles.main(["--data", str(data), "--out", str(model)]) == 0
    assert model.exists() and (tmp_path / "roles.crfsuite.json").exists()
    monkeypatch.setenv("MARSAD_ROLES_MODEL", str(model))
    assert roles.layers() == roles.LAYERS
    for a1, a2 in _roles(PLANES):  # whatever this toy model decides, a filled role is never the agent twice
        assert a1 != a2
    with pytest.raises(SystemExit, match="no data"):
        train_roles.main(["--data", str(tmp_path / "missing.txt")])
