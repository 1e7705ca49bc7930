"""Reading a submission (.py or .ipynb) into the source that will run.

Only reading happens here, in the grading process; the source is executed in a
child process (``graders.run.child``): a ``.py`` file as plain Python, a
notebook's cells by IPython, as Jupyter runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

from graders.answers import NOTEBOOK_CELL, SCRIPT_CELL
from graders.i18n import _


class SubmissionError(Exception):
    """A submission that cannot be read as Python source; the message is one line, in the current language."""


#: a piece of a submission that runs as one unit: (label for messages, source)
Cell = tuple[str, str]



def is_notebook(cells: list[Cell]) -> bool:
    """Whether ``cells`` are a notebook's code cells (run by IPython) rather than Python source."""
    return bool(cells) and all(label.startswith(NOTEBOOK_CELL + " ") for label, _ in cells)


def submission_cells(path: str | Path) -> list[Cell]:
    """Returns the code of a ``.py`` file (one cell, "your code") or a notebook's code cells.

    Notebook cells are labelled "code cell N" and kept as the student wrote
    them, magics included: the child runs them one by one in IPython, so that,
    as in Jupyter, a cell that fails does not stop the cells after it.

    Raises:
        SubmissionError: unknown extension, undecodable file or malformed notebook.
        OSError: the file cannot be read at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".py", ".ipynb"):
        raise SubmissionError(_("{path}: not a .py or .ipynb file").format(path=path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(_("{path}: not UTF-8 text ({reason} at byte {byte})").format(
            path=path, reason=exc.reason, byte=exc.start)) from None
    if suffix == ".py":
        return [(SCRIPT_CELL, text)]
    return notebook_cells(text, path)


def notebook_cells(text: str, path: str | Path = "<notebook>") -> list[Cell]:
    """The code cells of a notebook given as JSON text, as written (IPython syntax included)."""
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise SubmissionError(_not_a_notebook(path, exc)) from None
    except Exception as exc:  # nbformat raises several unrelated types for odd files
        raise SubmissionError(_not_a_notebook(path, exc)) from None
    cells = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        cells.append((f"{NOTEBOOK_CELL} {len(cells) + 1}", str(cell.get("source", ""))))
    return cells


def _not_a_notebook(path: str | Path, exc: Exception) -> str:
    return _("{path}: not a valid notebook ({error})").format(path=path, error=_first_line(exc))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
