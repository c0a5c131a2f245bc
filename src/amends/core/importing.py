"""What an importer is for `amends import KIND FILE …` (one per kind, each owned by the app that owns the data,
listed by the command in `assembly`), and the progress bar every importer shares.

An importer adds its own arguments and does its own work; the command only dispatches.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@dataclass(frozen=True)
class Importer:
    name: str  # the KIND in `amends import KIND`
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    # run(options, console) → exit quietly on success; raise core.errors.InvalidInput (or CommandError) for a
    # refusal the operator should read as one sentence.
    run: Callable[[dict[str, Any], Console], None]


class Bar:
    """A progress bar for one import: `advance(n)` as rows are done; `total` may be unknown (None)."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress, self._task = progress, task

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)

    def set_total(self, total: int | None) -> None:
        self._progress.update(self._task, total=total)


@contextmanager
def progress_bar(console: Console, label: str, total: int | None = None) -> Iterator[Bar]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        yield Bar(progress, progress.add_task(label, total=total))


def console_for(stream: IO[str]) -> Console:
    return Console(file=stream, highlight=False)
