"""Numeric libraries' own thread pools (OpenMP, BLAS), held to one thread while marsad analyses a document.

marsad parallelises across documents (marsad/workers.py, marsad/dask.py), one document per process at a time;
a library that also spreads one small prediction over every core only adds synchronisation. scikit-learn's
gradient-boosted span re-scorer (techniques/rescore.py) is the case measured in issue 14: its second OpenMP
thread cost 0.3-1 s per document whenever another process held the other core (whole runs 3-10x slower),
for byte-identical output. The limit is held only around marsad's own work (`limited()`), so the numpy of
a program that imports marsad keeps its threads between documents.
"""
from __future__ import annotations

import contextlib
import sys

_controller = None
_modules_seen = -1


def _current():
    """threadpoolctl's controller for the libraries loaded now; rebuilt (about 15 ms) only when modules
    were imported since, because a library loaded later (the first model load imports scikit-learn) is
    not in an older controller's list."""
    global _controller, _modules_seen
    if _modules_seen != len(sys.modules):
        from threadpoolctl import ThreadpoolController

        _controller, _modules_seen = ThreadpoolController(), len(sys.modules)
    return _controller


@contextlib.contextmanager
def limited(threads: int = 1):
    """Hold every loaded OpenMP/BLAS pool to `threads` inside the block (about 0.06 ms in and out)."""
    with _current().limit(limits=threads):
        yield


def limit_process(threads: int = 1) -> None:
    """For a process that only analyses (a pool or Dask worker): the limit from now on, for good."""
    _current().limit(limits=threads)
