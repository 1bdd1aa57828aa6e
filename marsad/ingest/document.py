"""The input document and the checks every document passes, whatever reader it came from."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Mapping

from ..config import settings


class InputError(ValueError):
    """A document marsad cannot analyse; the message says what is wrong and, where it can, what to do."""


@dataclass
class Document:
    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    """A document that could not be read or analysed: `marsad: <id>: <message>`."""

    id: str
    message: str

    def __post_init__(self):
        # A document can be named by a bad id (a lone surrogate in it): the failure line must still print.
        object.__setattr__(self, "id", printable(str(self.id)))
        object.__setattr__(self, "message", printable(str(self.message)))

    def __str__(self) -> str:
        return f"marsad: {self.id}: {self.message}"


_SURROGATE = re.compile("[\ud800-\udfff]")
_LANG = re.compile(r"^[a-z]{2,3}$")


def printable(value: str) -> str:
    """`value` with any lone surrogate written as an escape (\\udc80): safe to print or encode, to name a
    document whose id is itself bad."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8") if _SURROGATE.search(value) else value


def _no_surrogates(name: str, value: str) -> str:
    m = _SURROGATE.search(value)
    if m:
        raise InputError(f"{name} contains a lone surrogate code point (U+{ord(m.group()):04X}) at {m.start()}: "
                         "not valid Unicode; fix the encoder that produced it")
    return value


def check_text(text: object, *, max_bytes: int | None = None) -> str:
    """The text itself, or InputError naming the problem."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, not {type(text).__name__}")
    _no_surrogates("text", text)
    if not text.strip():
        raise InputError("empty document: no text to analyse")
    limit = settings()["input"]["max_bytes"] if max_bytes is None else max_bytes
    # Cheap bound first: a str of n code points is at most 4n bytes and at least n.
    if len(text) > limit or (4 * len(text) > limit and len(text.encode("utf-8")) > limit):
        raise InputError(f"text is larger than the limit of {limit:,} bytes; split it or raise --max-bytes")
    return text


def parse_published(value: object) -> str | None:
    """ISO date or datetime -> 'YYYY-MM-DD'; None stays None; anything else is an InputError."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, str):
        s = value.strip()
        try:
            if len(s) == 10:
                return dt.date.fromisoformat(s).isoformat()
            return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
    raise InputError(f"bad published value {str(value)[:40]!r}: expected an ISO date such as 2018-04-21 "
                     "or a datetime such as 2018-04-21T09:30:00Z")


def lenient_date(value) -> str | None:
    """A date found inside a page is a hint, not user input: None when it does not parse."""
    try:
        return parse_published(value)
    except InputError:
        return None


def _opt_str(name: str, value: object) -> str | None:
    """A metadata field: None, or a string checked like the text (it reaches every output, as UTF-8)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    return _no_surrogates(name, value)


def make_document(doc_id: str, text: object, *, title=None, source=None, url=None, published=None,
                  language=None, max_bytes: int | None = None, warnings: list[str] | None = None) -> Document:
    """A checked Document; InputError when any field is unusable."""
    lang = _opt_str("language", language)
    if lang is not None:
        lang = lang.strip().lower() or None
        if lang is not None and not _LANG.match(lang):
            raise InputError(f"bad language {lang[:20]!r}: expected an ISO 639-1 code such as 'ar' or 'en'")
    return Document(
        id=_no_surrogates("id", str(doc_id)),
        text=check_text(text, max_bytes=max_bytes),
        title=_opt_str("title", title),
        source=_opt_str("source", source),
        url=_opt_str("url", url),
        published=parse_published(published),
        language=lang,
        warnings=list(warnings or []),
    )


def api_document(n: int, item) -> Document | Failure:
    """The `n`th document given to the Python API (analyze_many, marsad.dask): a string, or a mapping with
    `text` and optionally the other JSONL fields; a Failure naming it when it is neither."""
    fields = {"text": item} if isinstance(item, str) else item
    doc_id = str(fields.get("id") or n) if isinstance(fields, Mapping) else str(n)
    try:
        if not isinstance(fields, Mapping):
            raise InputError(f"a document must be a string or a mapping, not {type(item).__name__}")
        if "text" not in fields:
            raise InputError('lacks "text"')
        return make_document(doc_id, fields["text"], title=fields.get("title"), source=fields.get("source"),
                             url=fields.get("url"), published=fields.get("published"),
                             language=fields.get("language"))
    except InputError as e:
        return Failure(doc_id, str(e))
