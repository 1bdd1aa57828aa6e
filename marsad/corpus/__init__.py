"""The corpus: a store of analysed documents (a SQLite file, or a PostgreSQL database for a shared corpus) with
full-text search and exports (docs/corpus.md).

    >>> from marsad.corpus import Corpus
    >>> with Corpus("marsad.db") as c:
    ...     stats = c.ingest(["examples/"])
    ...     hits = c.search("البوكمال", lang="ar")
"""
from __future__ import annotations

from .store import Corpus, IngestStats, content_hash

__all__ = ["Corpus", "IngestStats", "content_hash"]
