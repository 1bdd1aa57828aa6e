"""Bytes -> text: UTF-8 first; otherwise the most plausible legacy encoding (Arabic cp1256, Western cp1252,
latin-1) chosen by charset-normalizer, and the caller is told which one was used."""
from __future__ import annotations

import codecs

from ..config import settings
from .document import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or too many control characters, in the first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > settings()["input"]["binary_control_share"]


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding used). InputError for binary data or bytes no supported encoding explains."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason})")
    if looks_binary(data):
        raise InputError("binary file, not text: give marsad .txt, .html or .jsonl documents")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only paid for by non-UTF-8 input

    candidates = settings()["input"]["fallback_encodings"]
    best = from_bytes(data, cp_isolation=candidates).best()
    if best is None:
        raise InputError(f"not UTF-8 and not any of {', '.join(candidates)}; re-save it as UTF-8")
    return str(best), best.encoding


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """`decode`, with the record's warning when the bytes were not UTF-8 (every reader of bytes says the same)."""
    text, encoding = decode(data)
    return text, [] if encoding in ("utf-8", "utf-8-sig") else [f"not UTF-8; decoded as {encoding}"]
