"""`marsad eval`: score marsad, as `marsad analyze` runs it, on public annotated data sets read in place.

One module per task; each gives
- `examples(path)`: (Document, gold) pairs, read lazily; an unreadable path or format raises EvalError;
- `Scorer()`: `.add(record, gold)` per analysed document, then `.rows()`: the figures, one dict per measure
  (`measure`, `p`, `r`, `f1`, `gold`, `pred`, or `value` for a figure that is not P/R/F1, and `baseline`
  where a constant answer is the figure to beat).

The measures are the standard ones, and the same as the project's quality table (README "Quality,
measured"): conlleval exact-match entity P/R/F1 for names, the partial-overlap span P/R/F1 of Da San Martino
et al. (2019) for persuasion techniques, GeoNames id / country accuracy and acc@161 km for place names.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from ..ingest import Document, Failure

TASKS = {"ner": "named entities (PER/ORG/LOC) on CoNLL-style token/tag files",
         "techniques": "persuasion techniques: a PTC article folder, ArAIEval/ArMPro JSONL spans or labels",
         "geoparse": "place names resolved to GeoNames: LGL / TR-News / GeoWebNews XML or marsad's JSONL",
         "events": "the main event's governorate, actor and civilian dead on FA-KES's CSV",
         "roles": "event roles (actor1, actor2, place): ConfliBERT CAMEO spans (.txt) or WikiEvents (.jsonl)"}


class EvalError(Exception):
    """A data set that cannot be read: one line for the user (exit status 2)."""


def prf(p_num: float, p_den: float, r_num: float, r_den: float) -> dict:
    """Precision, recall and F1 (0 where undefined), rounded as the quality table gives them."""
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


T = TypeVar("T")


def jsonl(path: Path | str, parse: Callable[[int, dict], T], expected: str) -> Iterator[T]:
    """parse(line number, object) for each non-blank line of a JSONL file ("-": standard input), lazily; a line
    that is not JSON or that `parse` cannot read raises EvalError naming the line and what was `expected`."""
    n = 0
    try:
        with contextlib.nullcontext(sys.stdin) if str(path) == "-" else open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    yield parse(n, json.loads(line))
    except (ValueError, KeyError, TypeError, AttributeError):  # ValueError: bad JSON or not UTF-8
        raise EvalError(f"{path}:{n}: expected {expected}") from None


def task_module(task: str):
    if task not in TASKS:
        raise EvalError(f"unknown task {task!r}; one of {', '.join(TASKS)}")
    return importlib.import_module(f".{task}", __package__)


def evaluate(task: str, path: str | Path, analyse: Callable[[Iterable[Document]], Iterator],
             limit: int | None = None, advance: Callable[[], None] = lambda: None,
             language: str | None = None) -> dict:
    """Analyse the first `limit` documents of `path` with `analyse` (a marsad.workers analyser) and score
    them; `language` forces every document's language (else the data's, else detected). A document marsad
    fails on counts as an empty prediction (and is counted in `failed`)."""
    module = task_module(task)
    path = Path(path)
    if not path.exists():
        raise EvalError(f"{path}: no such file or directory")
    scorer = module.Scorer()
    in_flight: deque = deque()  # the golds of the documents being analysed; results come in input order

    def documents() -> Iterator[Document]:
        for doc, gold in islice(module.examples(path), limit):
            in_flight.append(gold)
            if language:
                doc.language = language
            yield doc

    n = failed = 0
    profiles = set()
    for result in analyse(documents()):
        if isinstance(result, Failure):
            failed += 1
            record = {"id": result.id, "mentions": [], "techniques": [], "events": [], "entities": {}}
        else:
            record = result
            profiles.add(record.get("profile"))
        scorer.add(record, in_flight.popleft())
        n += 1
        advance()
    if not n:
        raise EvalError(f"{path}: no documents read for task {task}")
    return {"task": task, "dataset": str(path), "documents": n, "failed": failed,
            "profile": ", ".join(sorted(p for p in profiles if p)) or None, "rows": scorer.rows()}
