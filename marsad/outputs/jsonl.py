"""JSON Lines (one record a line) and a JSON array, both written as records arrive."""
from __future__ import annotations

import json
from typing import TextIO


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


class JsonlWriter:
    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, record: dict) -> None:
        self.stream.write(dumps(record) + "\n")
        self.stream.flush()  # a reader of a pipe sees each record as soon as it is ready

    def close(self) -> None:
        pass


class JsonArrayWriter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0

    def write(self, record: dict) -> None:
        self.stream.write(("[\n" if self.count == 0 else ",\n") + dumps(record))
        self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
