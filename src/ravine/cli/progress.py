"""Progress display: a Rich progress bar on a terminal, one plain line per item otherwise."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

__all__ = ["Progress", "progress"]


class Progress:
    """Counts finished items of a known total and shows them."""

    def __init__(self, total: int, description: str, stream: TextIO):
        self.total, self.description, self.stream = total, description, stream
        self.done = 0
        self._bar = None
        self._task = None

    def advance(self, label: str, ok: bool = True, seconds: float | None = None) -> None:
        self.done += 1
        timing = f" in {seconds:.1f} s" if seconds is not None else ""
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{self.description}: {label}")
        else:
            verdict = "done" if ok else "FAILED"
            print(f"[{self.done}/{self.total}] {label} {verdict}{timing}", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text)
        else:
            print(text, file=self.stream, flush=True)


@contextmanager
def progress(total: int, description: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A :class:`Progress`; with a Rich bar when ``stream`` (default stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    shown = Progress(total, description, stream)
    if not stream.isatty():
        yield shown
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, \
        TimeElapsedColumn

    bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=Console(file=stream), transient=False)
    with bar:
        shown._bar = bar
        shown._task = bar.add_task(description, total=total)
        yield shown
