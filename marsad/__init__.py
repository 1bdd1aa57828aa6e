"""marsad: structured, source-attributed records from Arabic and English war news.

    >>> import marsad
    >>> rec = marsad.analyze("Douma was liberated last week.")
    >>> rec["language"], rec["sentences"]
    ('en', [{'start': 0, 'end': 30}])
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

from .ingest import Failure, InputError, make_document
from .ingest.document import api_document
from .pipeline import analyze_document
from .places.home import options_for as home_options

__version__ = "0.1.0"
__all__ = ["analyze", "analyze_many", "InputError", "Failure", "__version__"]


def analyze(text: str, *, language: str | None = None, published=None, title: str | None = None,
            source: str | None = None, url: str | None = None, id: str = "doc", profile: str | None = None,
            home: str | None = None) -> dict:
    """Analyse one article; returns its `marsad/1` record. Raises InputError for unusable input.
    `profile`: "accurate" (models on the multilingual encoder) or "fast" (classical models); default from
    settings.toml [pipeline]. `home`: where the outlet is based, a place name or id ("Alexandria, Louisiana",
    "geonames:4331987"): context for the places the article leaves bare (marsad/places/home.py)."""
    doc = make_document(id, text, title=title, source=source, url=url, published=published, language=language)
    return analyze_document(doc, {"profile": profile, **home_options({"*": home} if home else None)})


def analyze_many(documents: Iterable[str | Mapping], *, on_error: Callable[[Failure], None] | None = None,
                 min_confidence: float = 0.0, profile: str | None = None,
                 workers: int | None = None, homes: Mapping[str, str] | None = None) -> Iterator[dict]:
    """Analyse documents lazily, in order: each is a string or a mapping with `text` and optionally `id`,
    `title`, `published`, `source`, `url`, `language` (the JSONL fields). Streams: memory stays flat however
    many documents come in.

    A bad document raises InputError, unless `on_error` is given: then it is called with a `Failure`
    (`.id`, `.message`) and the batch goes on. `min_confidence` drops persuasion-technique spans below it;
    `profile` is "accurate" or "fast" (see `analyze`).
    `workers`: processes analysing at once (default: every core; 1: this process only); the records are the
    same, byte for byte, and still come in input order (marsad/workers.py).
    `homes`: {source: home place} (see `analyze`; "*" for every other source), e.g. from `marsad homes`."""
    from .workers import analyser

    with analyser({"min_confidence": min_confidence, "profile": profile, **home_options(homes)},
                  workers=workers) as analyse:
        for out in analyse(api_document(n, d) for n, d in enumerate(documents, start=1)):
            if isinstance(out, Failure):
                if on_error is None:
                    raise InputError(str(out))
                on_error(out)
            else:
                yield out
