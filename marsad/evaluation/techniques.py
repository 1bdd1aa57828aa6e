"""Persuasion-technique spans: span identification (si) and span + technique (flc), partial-overlap P/R/F1.

Data:
- a PTC folder (SemEval-2020 task 11): `<split>-articles/article<ID>.txt` with `<split>-task-flc-tc.labels`
  (ID, technique, start, end a line) or a `<split>-labels-task-flc-tc/` folder of them; give the folder (one
  labelled split in it) or its `<split>-articles` folder. marsad's techniques (SemEval-2023 names) are mapped
  to the 14 PTC-2020 classes (the merged classes as PTC merged them); the others are not scored.
- JSONL, ArAIEval-2024 `{id, text, labels: [{start, end, technique}]}` or ArMPro `{paragraph_id, paragraph,
  labels}`: labels as given (SemEval-2023 names; no_technique ignored), offsets clipped to the text;
- JSONL of ArAIEval-2023 task 1B, `{id, text, labels: [technique, ...]}`: the techniques of each text.

Scoring (Da San Martino et al. 2019): with predicted spans S and gold spans T of a document,
P = sum_s sum_t |s & t| / |s| over |S|, R = sum_t sum_s |s & t| / |t| over |T|, numerators and denominators
summed over documents. si ignores the technique (overlapping spans merged on each side); flc pairs spans of
the same technique only (overlapping same-technique spans merged), so a perfect copy scores 1. Task 1B: micro
P/R/F1 over every (text, technique) decision, the techniques of marsad's spans against the gold labels, an empty
set on either side standing for no_technique.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

from ..ingest import Document
from . import EvalError, jsonl, prf

Span = tuple[int, int, str]  # start, end (exclusive), technique
NO_TECHNIQUE = "no_technique"
# SemEval-2023 technique -> its PTC-2020 class (PTC merged Whataboutism/Straw_Men/Red_Herring and
# Bandwagon/Reductio_ad_hitlerum into one class each)
TO_PTC_2020 = {
    "Loaded_Language": "Loaded_Language", "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Repetition": "Repetition", "Doubt": "Doubt", "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice", "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification", "Appeal_to_Authority": "Appeal_to_Authority",
    "Slogans": "Slogans", "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Conversation_Killer": "Thought-terminating_Cliches",
    **dict.fromkeys(["Whataboutism", "Straw_Man", "Red_Herring"], "Whataboutism,Straw_Men,Red_Herring"),
    **dict.fromkeys(["Appeal_to_Popularity", "Guilt_by_Association"], "Bandwagon,Reductio_ad_hitlerum")}


# ---------------------------------------------------------------- scoring
def merge(spans: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Overlapping spans joined into one."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def overlap(spans, others) -> tuple[float, int]:
    """(sum over `spans` of the share of each that `others` cover, len(spans)): the numerator and
    denominator of precision (spans = predicted) or recall (spans = gold) for one document."""
    total = 0.0
    for s, e in spans:
        total += sum(max(0, min(e, b) - max(s, a)) for a, b in others) / max(1, e - s)
    return total, len(spans)


class LabelCounts:
    """Micro P/R/F1 over every (document, technique) decision, an empty set standing for no_technique
    (ArAIEval-2023 task 1B's measure)."""

    def __init__(self):
        self.right = self.predicted = self.gold = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        predicted, gold = predicted or {NO_TECHNIQUE}, gold or {NO_TECHNIQUE}
        self.right += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)

    def scores(self) -> dict:
        return prf(self.right, self.predicted, self.right, self.gold)


class SpanCounts:
    """The partial-overlap sums of si and flc over the documents added."""

    def __init__(self):
        self.sums = defaultdict(float)  # (measure, "pn" | "pd" | "rn" | "rd") -> sum

    def _add(self, measure: str, predicted, gold) -> None:
        for side, (spans, others) in (("p", (predicted, gold)), ("r", (gold, predicted))):
            num, den = overlap(spans, others)
            self.sums[measure, side + "n"] += num
            self.sums[measure, side + "d"] += den

    def add(self, predicted: Iterable[Span], gold: Iterable[Span]) -> None:
        predicted, gold = set(predicted), set(gold)
        self._add("si", merge((s, e) for s, e, _ in predicted), merge((s, e) for s, e, _ in gold))
        for technique in {t for *_, t in predicted} | {t for *_, t in gold}:
            self._add("flc", merge((s, e) for s, e, t in predicted if t == technique),
                      merge((s, e) for s, e, t in gold if t == technique))

    def scores(self, measure: str) -> dict:
        s = self.sums
        return prf(s[measure, "pn"], s[measure, "pd"], s[measure, "rn"], s[measure, "rd"])


# ---------------------------------------------------------------- reading
def _ptc_split(path: Path) -> tuple[Path, str]:
    if path.is_dir() and path.name.endswith("-articles"):
        return path.parent, path.name[:-len("-articles")]
    splits = sorted(p.name[:-len("-articles")] for p in path.glob("*-articles") if p.is_dir())
    labelled = [s for s in splits if (path / f"{s}-task-flc-tc.labels").exists()
                or (path / f"{s}-labels-task-flc-tc").is_dir()]
    if len(labelled) != 1:
        raise EvalError(f"{path}: expected one PTC split (<split>-articles/ and <split>-task-flc-tc.labels), "
                        f"found {', '.join(labelled) or 'none'}; give the <split>-articles folder")
    return path, labelled[0]


def _ptc_gold(folder: Path, split: str) -> dict[str, list[Span]]:
    files = [folder / f"{split}-task-flc-tc.labels"]
    if not files[0].exists():
        files = sorted((folder / f"{split}-labels-task-flc-tc").glob("*.labels"))
    if not files:
        raise EvalError(f"{folder}: no {split}-task-flc-tc.labels for {split}-articles/")
    gold = defaultdict(list)
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            cols = line.strip().split("\t")
            if len(cols) == 4 and cols[2].isdigit() and cols[3].isdigit() and int(cols[3]) > int(cols[2]):
                gold[cols[0]].append((int(cols[2]), int(cols[3]), cols[1]))
    return gold


def read_ptc(path: Path) -> Iterator[tuple[Document, list[Span]]]:
    folder, split = _ptc_split(path)
    gold = _ptc_gold(folder, split)
    for f in sorted((folder / f"{split}-articles").glob("article*.txt")):
        with open(f, encoding="utf-8", newline="") as fh:  # gold offsets index the file's exact characters
            text = fh.read()
        article = f.stem[len("article"):]
        yield Document(id=article, text=text, language="en"), gold.get(article, [])


def read_jsonl(path: Path) -> Iterator[tuple[Document, tuple[str, object]]]:
    """(document, ("spans", gold spans)) or, for ArAIEval-2023 task 1B's labels per text, ("labels", set)."""
    seen: set[str] = set()
    file_kind = ["spans"]  # what an empty labels list means: the kind of the file's last labelled line

    def parse(n: int, row: dict) -> tuple[Document, tuple[str, object]]:
        text = row["text"] if "text" in row else row["paragraph"]
        labels = row["labels"]
        if labels:
            file_kind[0] = "labels" if all(isinstance(x, str) for x in labels) else "spans"
        if file_kind[0] == "labels":
            gold = ("labels", set(labels) - {NO_TECHNIQUE})
        else:
            spans = [(max(0, int(x["start"])), min(len(text), int(x["end"])), x["technique"])
                     for x in labels if x.get("technique") != NO_TECHNIQUE]
            gold = ("spans", [s for s in spans if s[1] > s[0]])
        doc_id = str(row.get("id") or row.get("paragraph_id") or f"line{n}")
        if doc_id in seen:
            doc_id = f"{doc_id}#{n}"
        seen.add(doc_id)
        return Document(id=doc_id, text=text, language=row.get("language") or "ar"), gold

    return jsonl(path, parse, "a JSON object with text (or paragraph) and labels ([{start, end, technique}] "
                              "or [technique, ...])")


def examples(path: Path) -> Iterator[tuple[Document, tuple[str, object]]]:
    """(document, (kind, gold)): kind "ptc" (spans of PTC-2020 classes), "spans" or "labels" (a set)."""
    if path.is_dir():
        return ((doc, ("ptc", gold)) for doc, gold in read_ptc(path))
    if path.suffix.lower() in (".jsonl", ".json"):
        return read_jsonl(path)
    raise EvalError(f"{path}: give a PTC folder or an ArAIEval/ArMPro .jsonl file")


class Scorer:
    def __init__(self):
        self.counts = SpanCounts()
        self.spans = {"gold": 0, "pred": 0}
        self.labels = LabelCounts()
        self.kinds: set[str] = set()

    def add(self, record: dict, gold: tuple[str, object]) -> None:
        kind, expected = gold
        self.kinds.add(kind)
        predicted = [(t["start"], t["end"], t["technique"]) for t in record.get("techniques", [])]
        if kind == "labels":
            self.labels.add({t for *_, t in predicted}, expected)
            return
        if kind == "ptc":
            predicted = [(s, e, TO_PTC_2020[t]) for s, e, t in predicted if t in TO_PTC_2020]
        self.counts.add(predicted, expected)
        self.spans["gold"] += len(set(expected))
        self.spans["pred"] += len(set(predicted))

    def rows(self) -> list[dict]:
        rows = []
        if self.kinds - {"labels"}:
            rows += [{"measure": measure, **self.counts.scores(measure), **self.spans} for measure in ("si", "flc")]
        if "labels" in self.kinds:
            rows.append({"measure": "labels per text, micro", **self.labels.scores(),
                         "gold": self.labels.gold, "pred": self.labels.predicted})
        return rows
