"""The technique corpora `marsad train techniques` learns from (marsad/train/techniques.py), read in place from
../shared/data/techniques: PTC 2020 (English spans), ArMPro (Arabic spans), ArAIEval-2023 task 1B (Arabic
sentence labels) and machine-translated PTC spans (Arabic snippets), as `Example`s with SemEval-2023 names.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from marsad import techniques as T
from marsad.evaluation.techniques import TO_PTC_2020

DATA_ROOT = Path("../shared/data/techniques")
# PTC-2020 class -> SemEval-2023 name: TO_PTC_2020 turned round (a merged class goes to its first member), plus
# the unmerged 18-class names of the machine-translated PTC spans
MAP_2020 = {**{v: k for k, v in reversed(TO_PTC_2020.items())},
            "Whataboutism": "Whataboutism", "Straw_Men": "Straw_Man", "Red_Herring": "Red_Herring",
            "Bandwagon": "Appeal_to_Popularity", "Reductio_ad_hitlerum": "Guilt_by_Association",
            "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion"}


@dataclass
class Example:
    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # span-annotated (None: doc-level only)
    labels: set[str] | None = None          # document-level labels (task 1B), or None
    kind: str = "span"                      # span | doc | snippet


# ---------------------------------------------------------------- readers
def read_ptc(d: Path) -> list[Example]:
    d = Path(d)
    split = "train"
    arts = d / f"{split}-articles"
    labels = defaultdict(list)
    for line in (d / f"{split}-task-flc-tc.labels").read_text(encoding="utf-8").split("\n"):
        cols = line.strip().split("\t")
        if len(cols) == 4 and cols[1] in MAP_2020:
            labels[cols[0]].append((int(cols[2]), int(cols[3]), MAP_2020[cols[1]]))
    out = []
    for f in sorted(arts.glob("article*.txt")):
        aid = f.stem[len("article"):]
        text = f.read_text(encoding="utf-8")
        out.append(Example(aid, text, sorted(labels.get(aid, []))))
    return out


def read_armpro(f: Path) -> list[Example]:
    out = []
    for line in Path(f).read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        o = json.loads(line)
        text = o.get("paragraph") or o.get("text") or ""
        spans = [(int(x["start"]), int(x["end"]), x["technique"]) for x in o.get("labels", [])
                 if x.get("technique") in T.TECHNIQUES]
        out.append(Example(o.get("paragraph_id") or o.get("id"), text, spans))
    return out


def read_task1b(f: Path) -> list[Example]:
    out = []
    for line in Path(f).read_text(encoding="utf-8").split("\n"):
        if line.strip():
            o = json.loads(line)
            out.append(Example(o["id"], o["text"], [], {x for x in o["labels"] if x in T.TECHNIQUES}, "doc"))
    return out


def read_translated(f: Path) -> list[Example]:
    out = []
    for k, line in enumerate(Path(f).read_text(encoding="utf-8").split("\n")[1:]):
        cols = line.split("\t")
        if len(cols) >= 3 and cols[2].strip() in MAP_2020 and cols[1].strip():
            out.append(Example(f"mt{k}", cols[1].strip(), [], {MAP_2020[cols[2].strip()]}, "snippet"))
    return out


# Per language, readers of the data root: the span data set that CV cuts, and the others used for training only.
CORPORA = {
    "en": (lambda root: read_ptc(root / "ptc2020"), ()),
    "ar": (lambda root: read_armpro(root / "armpro" / "ArMPro_span_V2_train.jsonl"),
           (lambda root: read_task1b(root / "araieval2023" / "task1B_train.jsonl"),
            lambda root: read_translated(root / "ptc_arabic_translated_spans" / "Train.tsv"))),
}
# Per language, the held-out set `--eval-dev` scores (multilabel micro-F1), where it has one.
DEV_SETS = {"ar": lambda root: read_task1b(root / "araieval2023" / "task1B_dev.jsonl")}
# Per language, the official scorer's layout of its data set (../shared/tools/marsad_eval.py): "ptc" is scored
# in PTC-2020's classes, its folds written as articles and a labels file; any other as JSONL with our names.
SCORER_LAYOUT = {"en": "ptc", "ar": "araieval24"}


def load_data(lang: str, root: Path, dev: bool = False) -> tuple[list[Example], list[Example]]:
    """(the span data set that CV cuts, the other data used for training only)."""
    root = Path(root)
    spans, others = CORPORA[lang]
    return spans(root), [ex for read in others for ex in read(root)]
