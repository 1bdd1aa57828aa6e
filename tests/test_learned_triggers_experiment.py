"""benchmarks/learned_triggers.py (an experiment, not shipped): its silver labels and its cross-validation, on
made-up vectors where the answer is known."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("learned_triggers", ROOT / "benchmarks" / "learned_triggers.py")
LT = importlib.util.module_from_spec(spec)
spec.loader.exec_module(LT)


def test_silver_labels_are_the_lexicon_strong_entries_and_weak_cues_are_left_out():
    s = LT.Sentence("en", "test", None, "Gunmen stormed the village on Monday.", None).label()
    assert s.labels == ["IGN", "Battles|TERRITORY|FIGHT", "O", "O", "O", "O"]  # "Gunmen" is a weak cue
    assert s.words[1] == "stormed" and s.lexicon_kinds == {"Battles", "Violence against civilians"}


def test_cross_validation_finds_held_out_words_that_mean_the_same():
    # 300 sentences of 8 tokens; a trigger token points along one direction whatever its word, so a word held
    # out of training is still found; other tokens are noise. Judged sentences: triggers make events.
    rng = np.random.default_rng(0)
    sentences = []
    for n in range(300):
        vec = rng.normal(size=(8, 16)).astype(np.float16)
        s = LT.Sentence("en", "test", None, "", vec)
        s.labels, s.words, s.lexicon_kinds = ["O"] * 8, [None] * 8, set()
        if n % 2:
            vec[3, 0] += 6
            s.labels[3], s.words[3] = "Battles|Armed clash|FIGHT", f"word{rng.integers(40)}"
            s.lexicon_kinds = {"Battles"}
        s.judged = n % 2 if n % 3 == 0 else None
        sentences.append(s)
    cv = LT.cross_validate(sentences, ["O", "Battles|Armed clash|FIGHT"], 5)
    at_half = cv["by_threshold"][0.5]
    assert at_half["en_unseen_recall"] > 0.9 and at_half["en_seen_recall"] > 0.9
    assert at_half["en_novel_rate"] < 0.02
    # every judged event sentence has a lexicon trigger here, so the lexicon is judged right on all of them and
    # the model adds nothing to judge: no threshold is shown to add triggers as precise as the lexicon's
    assert cv["lexicon_judged"]["precision"] == 1.0 and cv["threshold"] is None
