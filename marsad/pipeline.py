"""The stage order and the one loop that runs it. The CLI, the API (and later the corpus and web app) all go
through `run`, so there is one pipeline.

Plug-ins add stages the same way the built-in ones are added: an entry point in the group `marsad.stages`
naming a callable `stage(analysis) -> None`; plug-in stages run after the built-in ones, in name order.
A stage may declare the keys it reads and writes (`marsad.stages.declares`); the order is checked against them
once, and a stage without declarations is run as it is.
"""
from __future__ import annotations

import functools
import gc
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Callable, Iterable, Iterator

from . import lang as languages
from . import record as records
from . import threads
from .config import settings
from .ingest import Document, Failure, InputError, make_document
from .stages import encode, events, language, mentions, sentences
from .stages import techniques

Stage = Callable[["Analysis"], None]

# (name, callable): the built-in stages in the order a record flows through them.
BUILTIN_STAGES: list[tuple[str, Stage]] = [
    ("language", language.identify),
    ("sentences", sentences.segment),
    ("encode", encode.encode),
    ("mentions", mentions.find),
    ("events", events.code),
    ("techniques", techniques.detect),
]


@dataclass
class Analysis:
    """One document on its way through the stages: the record being built, and per-document working state
    that is not part of the output (the language profile, the folded text for matching)."""

    record: dict
    scratch: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # per-run settings, e.g. min_confidence for techniques

    @property
    def lang(self) -> languages.Language:
        return languages.get(self.record["language"])

    @property
    def folded(self) -> languages.Folded:
        """The text folded for matching (cached; offsets map back into record['text'])."""
        if "folded" not in self.scratch:
            self.scratch["folded"] = self.lang.fold(self.record["text"])
        return self.scratch["folded"]


@functools.cache
def stages() -> tuple[tuple[str, Stage], ...]:
    plugins = sorted(entry_points(group="marsad.stages"), key=lambda ep: ep.name)
    order = tuple(BUILTIN_STAGES) + tuple((ep.name, ep.load()) for ep in plugins)
    check_order(order)
    return order


def check_order(order: Iterable[tuple[str, Stage]]) -> None:
    """A ValueError naming the first stage that requires a key which neither the document nor an earlier
    stage assigns, and the stage that assigns it too late if one does."""
    order = list(order)
    assigned = set(records.FROM_DOCUMENT)
    for i, (name, stage) in enumerate(order):
        for key in getattr(stage, "requires", ()):
            if key in assigned:
                continue
            later = [n for n, s in order[i + 1:] if key in getattr(s, "assigns", ())]
            where = f"stage {later[0]!r} assigns it only later" if later else "no stage assigns it"
            raise ValueError(f"stage {name!r} requires {key!r}, which no earlier stage assigns ({where})")
        assigned.update(getattr(stage, "assigns", ()))


PROFILES = ("fast", "accurate")


def resolve_options(options: dict | None) -> dict:
    """The run's options with defaults from settings.toml filled in; a bad profile is a ValueError."""
    out = dict(options or {})
    out["profile"] = out.get("profile") or settings()["pipeline"]["profile"]
    if out["profile"] not in PROFILES:
        raise ValueError(f"unknown profile {out['profile']!r}: choose one of {', '.join(PROFILES)}")
    return out


def analyze_document(doc: Document, options: dict | None = None) -> dict:
    analysis = Analysis(records.new(doc), options=resolve_options(options))
    analysis.record["profile"] = analysis.options["profile"]
    with threads.limited():
        for _name, stage in stages():
            stage(analysis)
    return analysis.record


def _options_key(options: dict | None) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in (options or {}).items()))


_loaded: set[tuple] = set()


def load_models(options: dict | None = None, *, announce: bool = False) -> None:
    """Load every model, dictionary and table the stages use with these options, once per process: the
    pipeline analyses a short bundled article in each language (marsad/lang/*/warm_up.txt), so whatever a
    stage loads lazily (plug-ins and `profile`-dependent models included) is loaded here and not inside the
    first user document. A process pool calls it before forking, so its workers share the pages.
    `announce` prints "marsad: loading models" on stderr first (the CLI does, before its progress bar)."""
    options = resolve_options(options)
    key = _options_key(options)
    if key in _loaded:
        return
    if announce:
        print("marsad: loading models ...", file=sys.stderr, flush=True)
    for code in languages.supported():
        path = languages.HERE / code / "warm_up.txt"
        if path.exists():
            analyze_document(make_document("warm-up", path.read_text(encoding="utf-8"), language=code), options)
    # The models live as long as the process: out of the garbage collector's sight, its full collections no
    # longer walk their millions of objects (a 1 MB document: ~2 s less), and forked workers do not copy the
    # pages that the collector's bookkeeping would write to.
    gc.collect()
    gc.freeze()
    _loaded.add(key)


def run(items: Iterable[Document | Failure], options: dict | None = None) -> Iterator[dict | Failure]:
    """Records (or Failures) in input order. A stage that breaks on one document fails that document only.
    `options` reach every stage as `analysis.options` (e.g. {"min_confidence": 0.5, "profile": "fast"})."""
    options = resolve_options(options)
    stages()  # a bad stage order is one error here, not an internal error per document
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield analyze_document(item, options)
        except InputError as e:
            yield Failure(item.id, str(e))
        except Exception as e:  # a bug must not stop a batch of 100,000 documents; report and go on
            yield Failure(item.id, f"internal error in analysis ({type(e).__name__}: {e}); please report it")
