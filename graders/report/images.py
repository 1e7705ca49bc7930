"""Saving the report's figures as PNG files named by what they show, drawn on every CPU.

The same data always gives the same file name, so a figure that many students
share (the reference model, a checkpoint directory with the same choice) is
drawn once. Figures are asked for while pages are prepared and drawn
together at the end, in worker processes when there are many.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from matplotlib import rc_context
from matplotlib.figure import Figure

from graders.report.plots import figure_fonts

IMAGE_DIR = "img"
#: below this many figures a process pool costs more than it saves
POOL_THRESHOLD = 8

Drawing = Callable[..., Figure]


class ImageStore:
    """Collects figures to draw into ``OUTDIR/img``; hands back their paths relative to OUTDIR."""

    def __init__(self, outdir: Path):
        self.folder = Path(outdir) / IMAGE_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self._pending: dict[str, tuple[Drawing, tuple]] = {}

    def image(self, kind: str, draw: Drawing, *args) -> str:
        """The path (``img/KIND-HASH.png``) the figure ``draw(*args)`` will be saved at.

        Takes a short ``kind`` for the file name, a module-level drawing
        function (worker processes receive it by name) and its JSON-able
        arguments, which also name the file. Nothing is drawn until
        :meth:`draw_all`.
        """
        digest = hashlib.sha1(json.dumps([kind, args], sort_keys=True, default=str).encode()).hexdigest()[:16]
        name = f"{kind}-{digest}.png"
        self._pending.setdefault(name, (draw, args))
        return f"{IMAGE_DIR}/{name}"

    def draw_all(self, workers: int | None = None) -> int:
        """Draws and saves every figure asked for; returns how many files were written.

        ``workers`` defaults to the CPUs this process may use.
        """
        jobs = [(self.folder / name, draw, args) for name, (draw, args) in self._pending.items()]
        self._pending.clear()
        workers = workers or _usable_cpus()
        if workers < 2 or len(jobs) < POOL_THRESHOLD:
            for job in jobs:
                _save(job)
            return len(jobs)
        # fork keeps matplotlib imported in the workers; elsewhere the default start method does
        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            list(pool.map(_save, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
        return len(jobs)


def _save(job: tuple[Path, Drawing, tuple]) -> None:
    """Draws one figure; text is never read as math (a student's layer named ``$\\frac{$`` is just text),
    and a figure that cannot be drawn becomes a "?" rather than stopping the class's report."""
    path, draw, args = job
    with rc_context({**figure_fonts(), "text.parse_math": False}):
        try:
            figure = draw(*args)
            figure.savefig(path, format="png")
        except Exception:  # noqa: BLE001  one student's data must not cost the whole report
            figure = Figure(figsize=(2, 1))
            figure.text(0.5, 0.5, "?", ha="center", va="center")
            figure.savefig(path, format="png")


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
