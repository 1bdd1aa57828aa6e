"""The progress bar every long-running command shows on stderr (rich), or a no-op when it should not."""
from __future__ import annotations

import contextlib
import sys


@contextlib.contextmanager
def progress(total: int | None, enabled: bool):
    """A rich progress bar on stderr, or a no-op. Yields (advance, report) callables."""
    if not enabled:
        yield (lambda: None), (lambda msg: print(msg, file=sys.stderr, flush=True))
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as prog:
        task = prog.add_task("analyze", total=total)
        yield (lambda: prog.advance(task)), (lambda msg: console.print(msg, markup=False, highlight=False))
