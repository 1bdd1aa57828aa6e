"""Objects that must not be shared between threads, made once per thread.

CRFsuite taggers keep the sequence they were last given (`set`, then `marginal`) and a Snowball stemmer
keeps the word it is stemming: one instance used from two threads at once (the web app's request threads)
gave `Tagger.marginal` ValueErrors and stemmer IndexErrors (issue 13). `per_thread` is `functools.cache`
with one cache per thread, so each thread builds its own and never sees another's half-done state; a
process that uses one thread (the CLI, a worker process) builds each once, as before.
"""
from __future__ import annotations

import functools
import itertools
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def per_thread(make: Callable[..., T]) -> Callable[..., T]:
    """`make(*args)` cached per thread and per arguments; `.cache_clear()` empties every thread's cache."""
    local = threading.local()
    generation = itertools.count()
    current = [next(generation)]

    @functools.wraps(make)
    def get(*args):
        cache = getattr(local, "cache", None)
        if cache is None or local.generation != current[0]:
            cache = local.cache = {}
            local.generation = current[0]
        if args not in cache:
            cache[args] = make(*args)
        return cache[args]

    def cache_clear() -> None:
        current[0] = next(generation)  # every thread's cache is stale from now on

    get.cache_clear = cache_clear
    return get
