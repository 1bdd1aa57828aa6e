"""Pipeline stages. Each is a callable `stage(analysis) -> None` that adds to `analysis.record` and never
rewrites what an earlier stage wrote; offsets always index `record["text"]`.

A stage declares what it reads and writes, as spaCy components declare `requires` / `assigns`: record keys
("sentences") and scratch keys ("encoded"). The pipeline checks the order with them (marsad/pipeline.py)."""
from __future__ import annotations


def declares(*, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    """Decorator: the keys a stage reads (`requires`, assigned by an earlier stage or given by the document) and
    the keys it writes (`assigns`), kept on the function as `stage.requires` / `stage.assigns`."""
    def mark(stage):
        stage.requires, stage.assigns = tuple(requires), tuple(assigns)
        return stage
    return mark
