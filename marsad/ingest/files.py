"""Opening input files safely: only regular files (a FIFO would block for ever, /dev/zero never ends and
reports size 0), sizes enforced while reading (st_size is not trusted), lines read with a cap, and the run's
own output file never read back as input (`marsad analyze DIR > DIR/out.jsonl` would read its growing output
for ever)."""
from __future__ import annotations

import os
import stat
from typing import BinaryIO, Iterable, Iterator

from .document import InputError

FileKey = tuple[int, int]  # (st_dev, st_ino): one file whatever the path that names it


def keys_of(streams: Iterable) -> frozenset[FileKey]:
    """The file keys of those streams (open files or file descriptors) that are regular files: the outputs
    a run must not read."""
    keys = set()
    for s in streams:
        try:
            st = os.fstat(s if isinstance(s, int) else s.fileno())
        except (OSError, ValueError, AttributeError):
            continue  # not a real file (a StringIO in tests, a closed stream): nothing to compare
        if stat.S_ISREG(st.st_mode):
            keys.add((st.st_dev, st.st_ino))
    return frozenset(keys)


def keys_of_path(path) -> frozenset[FileKey]:
    """The file key of a path (its target, for a link), or nothing when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return frozenset()
    return frozenset([(st.st_dev, st.st_ino)])


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def open_regular(path, own_outputs: frozenset[FileKey] = frozenset()) -> BinaryIO:
    """The file opened for binary reading; InputError when it is not a regular file (checked on the open
    file, so a path swapped after a check cannot slip through) or is one of `own_outputs`. OSError passes."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a regular file.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{_kind(st.st_mode)}, not a file: marsad reads regular files (or '-' for stdin)")
        if (st.st_dev, st.st_ino) in own_outputs:
            raise InputError("this is the run's own output file (--out or standard output); not read as input")
    except BaseException:
        os.close(fd)
        raise
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_capped(fh: BinaryIO, limit: int) -> bytes:
    """All of the file, or InputError once it passes `limit` bytes (never more than limit + 1 in memory)."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        size = os.fstat(fh.fileno()).st_size  # for the message only: the check is the read above
        said = f"{size:,} bytes, over" if size > limit else "over"
        raise InputError(f"file is {said} the limit of {limit:,} bytes; split it or raise --max-bytes")
    return data


def capped_lines(fh: BinaryIO, cap: int, chunk: int = 1 << 20) -> Iterator[tuple[bytes, int]]:
    """(line, length) for each line; a line longer than `cap` bytes comes as (b"", its length), its bytes
    skipped in chunks, so one endless line never sits in memory."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap:
            yield line, len(line)
            continue
        n = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(chunk)
            if not line:
                break
            n += len(line)
        yield b"", n
