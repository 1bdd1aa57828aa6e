"""marsad/cache.py: built objects kept as pickles, keyed by their sources."""
from marsad import cache


def test_pickled_builds_once_per_key_and_rebuilds_a_torn_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSAD_NO_CACHE", raising=False)
    source = tmp_path / "model.bin"
    source.write_bytes(b"weights v1")
    builds = []

    def build():
        builds.append(1)
        return {"weights": source.read_bytes()}

    k1 = cache.key([source], ["lib 1.0"])
    assert cache.pickled("m", k1, build) == cache.pickled("m", k1, build) == {"weights": b"weights v1"}
    assert len(builds) == 1 and (tmp_path / f"m-{k1}.pickle").exists()

    source.write_bytes(b"weights v2")  # a changed source, or library version, is a new key
    k2 = cache.key([source], ["lib 1.0"])
    assert k2 != k1 and k2 != cache.key([source], ["lib 1.1"])
    assert cache.pickled("m", k2, build) == {"weights": b"weights v2"} and len(builds) == 2

    (tmp_path / f"m-{k2}.pickle").write_bytes(b"\x80\x05torn")
    assert cache.pickled("m", k2, build) == {"weights": b"weights v2"} and len(builds) == 3

    monkeypatch.setenv("MARSAD_NO_CACHE", "1")
    assert cache.pickled("m", k2, build) == {"weights": b"weights v2"} and len(builds) == 4


def test_matches_remembered_for_the_last_text_come_as_fresh_copies():
    from marsad import places
    from marsad.entities import actors

    text = "Syrian army forces shelled Douma and the SDF entered Raqqa."
    for match in (actors.match, places.match):
        first = match(text)
        assert first and first == match.uncached(text)
        first[0]["start"] = -1  # the mention stage trims and merges what it gets
        first[0].setdefault("candidates", []).append("x")
        assert match(text) == match.uncached(text) != first
    assert places.match("Aleppo.") == places.match.uncached("Aleppo.")  # another text: matched anew
