"""Ingest: turn paths, JSONL lines and API arguments into `Document`s, or `Failure`s that name the document.

Readers never raise for bad user input: each bad document becomes one `Failure` and the stream goes on.
"""
from __future__ import annotations

from .document import Document, Failure, InputError, make_document
from .readers import count_documents, read_paths

__all__ = ["Document", "Failure", "InputError", "make_document", "read_paths", "count_documents"]
