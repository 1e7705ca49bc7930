"""Prints how long nbgrader's autograde takes for one complete submission of the lesson notebook.

The submission is the released notebook with the reference answers filled in;
it runs top to bottom (two training runs on the lesson data included) and its
six grade cells run the graders. Run it with ``make bench``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

from graders import course

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = "".join((ROOT / "reference" / f"practice{n}.py").read_text() + "\n" for n in (1, 2, 3))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = course.setup_course(Path(folder) / "course")
        released = nbformat.read(course.release(root), as_version=4)
        course.submit(root, "reference", course.fill_answers(released, ANSWERS))
        started = time.perf_counter()
        course.autograde(root)
        seconds = time.perf_counter() - started
        scores = course.gradebook_scores(root)["reference"]
    print(f"nbgrader autograde, one complete notebook      {seconds:6.1f} s (total {scores['total']:g} / 30)")


if __name__ == "__main__":
    main()
