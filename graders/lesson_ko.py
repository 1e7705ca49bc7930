"""The Korean lesson notebook, made from the English one.

``exercises/keras_lesson_ko/keras_lesson_ko.ipynb`` is a second nbgrader
assignment (``keras_lesson_ko``) with the same code cells as
``exercises/keras_lesson/keras_lesson.ipynb``: the same sources, cell ids and
nbgrader metadata (grade ids, points, locked and solution flags), so the grade
cells, the trusted runner and the gradebook treat both alike. Only the markdown
cells differ: each is replaced by its Korean text from
``exercises/keras_lesson_ko/markdown_ko.json``, which maps an English markdown
cell's id to ``{"english_sha256": ..., "korean": ...}``. The hash is that of
the English text the translation was made from, so a changed English cell shows
as untranslated instead of being silently kept in its old wording.

The notebook's self-check and grade cells print Korean when ``GRADERS_LANG=ko``
(or a Korean locale) is set for Jupyter and for ``nbgrader autograde``
(see :mod:`graders.i18n`).

Run from the course folder after changing the English notebook or a translation::

    python -m graders.lesson_ko            # writes the Korean notebook
    python -m graders.lesson_ko --check    # exit status 1 if it is out of date or a cell is untranslated
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

ENGLISH = Path("exercises") / "keras_lesson" / "keras_lesson.ipynb"
KOREAN = Path("exercises") / "keras_lesson_ko" / "keras_lesson_ko.ipynb"
TRANSLATIONS = Path("exercises") / "keras_lesson_ko" / "markdown_ko.json"


class UntranslatedError(ValueError):
    """Markdown cells of the English notebook have no up-to-date Korean text; the message names them."""


def english_hash(text: str) -> str:
    """The hash a translation records of the English text it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def untranslated(english: NotebookNode, translations: dict) -> list[str]:
    """The ids of the English markdown cells whose translation is missing or was made from other English text."""
    cells = translations.get("cells", {})
    return [
        cell.id for cell in english.cells
        if cell.cell_type == "markdown"
        and (cell.id not in cells or cells[cell.id].get("english_sha256") != english_hash(cell.source))
    ]


def korean_notebook(english: NotebookNode, translations: dict) -> NotebookNode:
    """The Korean notebook: ``english`` with every markdown cell's text replaced by its translation.

    Everything else (code cells, outputs, ids, metadata, attachments) is kept as it is.

    Raises:
        UntranslatedError: a markdown cell has no up-to-date translation.
    """
    missing = untranslated(english, translations)
    if missing:
        raise UntranslatedError(
            f"{len(missing)} markdown cell(s) of {ENGLISH} have no up-to-date Korean text in {TRANSLATIONS}: "
            f"{', '.join(missing)}"
        )
    korean = copy.deepcopy(english)
    for cell in korean.cells:
        if cell.cell_type == "markdown":
            cell.source = translations["cells"][cell.id]["korean"]
    return korean


def read_translations(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def build(course: Path) -> NotebookNode:
    """The Korean notebook of the course in ``course``, from its English notebook and its translations."""
    english = nbformat.read(course / ENGLISH, as_version=4)
    return korean_notebook(english, read_translations(course / TRANSLATIONS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.lesson_ko", description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", default=".", metavar="DIR", help="the course folder (default: here)")
    parser.add_argument("--check", action="store_true",
                        help="only check that the Korean notebook is up to date (exit status 1 if not)")
    args = parser.parse_args(argv)
    course = Path(args.course)
    try:
        korean = build(course)
    except (UntranslatedError, OSError, ValueError) as exc:
        print(f"graders.lesson_ko: {exc}", file=sys.stderr)
        return 1
    target = course / KOREAN
    text = nbformat.writes(korean) + "\n"
    if args.check:
        if not target.is_file() or nbformat.reads(target.read_text(encoding="utf-8"), as_version=4) != korean:
            print(f"graders.lesson_ko: {target} is out of date; run python -m graders.lesson_ko", file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
