"""The Reuters stories benchmarks/persuasion_outlets.py rebuilds from a CoNLL-2003 sentence file (issue 17's wire
sample): headline, byline and dateline start a story; the sports desk is left out (no shared data needed)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import persuasion_outlets as PO  # noqa: E402

CONLL = """SOCCER NN B-NP O
- : O O
ROMANIA NNP B-NP B-LOC
WIN VB B-VP O
. . O O

BUCHAREST NNP B-NP B-LOC
1996-08-30 CD I-NP O

Romania NNP B-NP B-LOC
won VBD B-VP O
( ( O O
2-1 CD B-NP O
) ) O O
. . O O

Chad NNP B-NP B-LOC
closes VBZ B-VP O
university NN B-NP O
. . O O

Larry NNP B-NP B-PER
Fine NNP I-NP I-PER

N'DJAMENA NNP B-NP B-LOC
1996-08-31 CD I-NP O

The DT B-NP O
government NN I-NP O
's POS B-NP O
decision NN I-NP O
was VBD B-VP O
announced VBN I-VP O
. . O O
"""


def test_stories_start_at_the_headline_before_byline_and_dateline(tmp_path):
    f = tmp_path / "dev.txt"
    f.write_text(CONLL, encoding="utf-8")
    stories = PO.conll_stories(f)
    assert stories == ["Chad closes university.\nLarry Fine\nN'DJAMENA 1996-08-31\nThe government's decision was "
                       "announced."]  # the soccer story is the sports desk's, and is left out
