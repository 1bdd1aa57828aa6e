"""marsad: structured, source-attributed records from Arabic and English war news.

    >>> import marsad
    >>> rec = marsad.analyze("Douma was liberated last week.")
    >>> rec["language"], rec["sentences"]
    ('en', [{'start': 0, 'end': 30}])
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

from .ingest import Document, Failure, InputError, make_document
from .pipeline import analyze_document, run

__version__ = "0.1.0"
__all__ = ["analyze", "analyze_many", "InputError", "Failure", "__version__"]


def analyze(text: str, *, language: str | None = None, published=None, title: str | None = None,
            source: str | None = None, url: str | None = None, id: str = "doc", profile: str | None = None) -> dict:
    """Analyse one article; returns its `marsad/1` record. Raises InputError for unusable input.
    `profile`: "accurate" (models on the multilingual encoder) or "fast" (classical models); default from
    settings.toml [pipeline]."""
    doc = make_document(id, text, title=title, source=source, url=url, published=published, language=language)
    return analyze_document(doc, {"profile": profile})


def analyze_many(documents: Iterable[str | Mapping], *, on_error: Callable[[Failure], None] | None = None,
                 min_confidence: float = 0.0, profile: str | None = None) -> Iterator[dict]:
    """Analyse documents lazily, in order: each is a string or a mapping with `text` and optionally `id`,
    `title`, `published`, `source`, `url`, `language` (the JSONL fields). Streams: memory stays flat however
    many documents come in.

    A bad document raises InputError, unless `on_error` is given: then it is called with a `Failure`
    (`.id`, `.message`) and the batch goes on. `min_confidence` drops persuasion-technique spans below it;
    `profile` is "accurate" or "fast" (see `analyze`)."""

    def documents_in() -> Iterator[Document | Failure]:
        for n, d in enumerate(documents, start=1):
            fields = {"text": d} if isinstance(d, str) else d
            doc_id = str(fields.get("id") or n) if isinstance(fields, Mapping) else str(n)
            try:
                if not isinstance(fields, Mapping):
                    raise InputError(f"a document must be a string or a mapping, not {type(d).__name__}")
                if "text" not in fields:
                    raise InputError('lacks "text"')
                yield make_document(doc_id, fields["text"], title=fields.get("title"), source=fields.get("source"),
                                    url=fields.get("url"), published=fields.get("published"),
                                    language=fields.get("language"))
            except InputError as e:
                yield Failure(doc_id, str(e))

    for out in run(documents_in(), {"min_confidence": min_confidence, "profile": profile}):
        if isinstance(out, Failure):
            if on_error is None:
                raise InputError(str(out))
            on_error(out)
        else:
            yield out
