"""Reading a submission (.py or .ipynb) into the Python source that will run.

Only reading happens here, in the grading process; the source is executed in a
child process (``graders.run.child``).
"""

from __future__ import annotations

import json
from pathlib import Path


class SubmissionError(Exception):
    """A submission that cannot be read as Python source; the message is one line."""


#: a piece of a submission that runs as one unit: (label for messages, source)
Cell = tuple[str, str]


def submission_cells(path: str | Path) -> list[Cell]:
    """Returns the code of a ``.py`` file (one cell, "your code") or a notebook's code cells.

    Notebook cells are labelled "code cell N" and run one by one, so that, as in
    Jupyter, a cell that fails does not stop the cells after it. IPython-only
    lines (``%magic``, ``!shell``) are turned into comments, since the submission
    runs as plain Python; line numbers stay as the student sees them.

    Raises:
        SubmissionError: unknown extension, undecodable file or malformed notebook.
        OSError: the file cannot be read at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".py", ".ipynb"):
        raise SubmissionError(f"{path}: not a .py or .ipynb file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if suffix == ".py":
        return [("your code", text)]
    return notebook_cells(text, path)


def notebook_cells(text: str, path: str | Path = "<notebook>") -> list[Cell]:
    """The code cells of a notebook given as JSON text."""
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise SubmissionError(f"{path}: not a valid notebook ({_first_line(exc)})") from None
    except Exception as exc:  # nbformat raises several unrelated types for odd files
        raise SubmissionError(f"{path}: not a valid notebook ({_first_line(exc)})") from None
    cells = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        lines = [
            "# " + line if line.lstrip().startswith(("%", "!")) else line
            for line in str(cell.get("source", "")).splitlines()
        ]
        cells.append((f"code cell {len(cells) + 1}", "\n".join(lines) + "\n"))
    return cells


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
