"""An index of character spans ({"start", "end", ...} dicts) for overlap and position queries in
O(log n + hits): a long document has tens of thousands of mentions or candidate spans, and comparing every
pair made a 1 MB text take minutes (issue 13)."""
from __future__ import annotations

import bisect


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


class SpanIndex:
    """The spans of a list (which `add` extends), sorted by start; the longest span bounds the look-back."""

    def __init__(self, spans: list[dict]):
        self.order = sorted(range(len(spans)), key=lambda i: spans[i]["start"])
        self.starts = [spans[i]["start"] for i in self.order]
        self.spans = spans
        self.longest = max((s["end"] - s["start"] for s in spans), default=0)

    def overlapping(self, m: dict) -> list[int]:
        """Indices (into the original list, ascending) of the spans that overlap `m`."""
        lo = bisect.bisect_right(self.starts, m["start"] - self.longest)
        hi = bisect.bisect_left(self.starts, m["end"])
        return sorted(i for i in self.order[lo:hi] if overlaps(m, self.spans[i]))

    def starting(self, a: int, b: int) -> list[dict]:
        """The spans with a <= start < b, in the list's order."""
        lo, hi = bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)
        return [self.spans[i] for i in sorted(self.order[lo:hi])]

    def add(self, span: dict) -> None:
        self.spans.append(span)
        k = bisect.bisect_right(self.starts, span["start"])
        self.starts.insert(k, span["start"])
        self.order.insert(k, len(self.spans) - 1)
        self.longest = max(self.longest, span["end"] - span["start"])
