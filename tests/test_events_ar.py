"""Arabic event recall (issue 16): the lexicon's nominal and short event expressions, read as events."""
from __future__ import annotations

import os
import subprocess
import sys

import marsad
from marsad.events import triggers as T


def events_of(text: str, **kw) -> list[dict]:
    return marsad.analyze(text, language="ar", profile="fast", published="2020-05-01", **kw)["events"]


def test_equally_long_trigger_matches_are_chosen_the_same_way_under_every_hash_seed():
    # «برصاصة» reads as the listed «برصاص» (by bullets, weight 1) or as «رصاص» plus a suffix (weight 0.5): the
    # choice followed the iteration order of a set of strings, which changes with the interpreter's hash seed
    code = ("from marsad.events import triggers as T\n"
            "t = 'أصيب برصاصة في رأسه'\n"
            "print([(T.data(h)['trigger'], T.data(h)['weight']) for h in T.triggers('ar').find(t)])")
    seen = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seen.add(out.stdout.strip())
    assert seen == {"[('برصاص', 1.0)]"}
    assert [T.data(h)["trigger"] for h in T.triggers("ar").find("أصيب برصاصة")] == ["برصاص"]
