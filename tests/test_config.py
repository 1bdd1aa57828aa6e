"""Settings and the environment: every environment variable marsad reads is read in marsad/config.py."""
import re
from pathlib import Path

import pytest

from marsad import cache, config
from marsad.entities import ner, ner_tables

MARSAD = Path(__file__).resolve().parent.parent / "marsad"


def test_the_environment_is_read_in_config_only():
    readers = {str(p.relative_to(MARSAD)) for p in MARSAD.rglob("*.py")
               if re.search(r"os\.environ|os\.getenv", p.read_text(encoding="utf-8"))}
    assert readers == {"config.py"}


def test_an_unlisted_variable_is_an_error():
    with pytest.raises(KeyError, match="MARSAD_NER_MODLE_EN"):
        config.environment("MARSAD_NER_MODLE_EN")


def test_a_changed_variable_is_seen_without_clearing_a_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("MARSAD_FREQ_AR", raising=False)
    shipped = ner._freqs("ar")
    table = tmp_path / "freq.tsv"
    table.write_text(f"{ner.freq_key('قال')}\t62\n", encoding="utf-8")
    monkeypatch.setenv("MARSAD_FREQ_AR", str(table))
    assert ner._freqs("ar") == {ner.freq_key("قال"): 62}
    assert ner_tables.freq_path("ar") == table
    monkeypatch.setenv("MARSAD_FREQ_AR", "")  # empty is unset
    assert ner._freqs("ar") is shipped
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path / "c"))
    assert cache.folder() == tmp_path / "c"
    monkeypatch.setenv("MARSAD_NO_CACHE", "1")
    assert cache.folder() is None
