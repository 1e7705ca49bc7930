"""Reading a submission (.py or .ipynb) into the Python source that will run.

Only reading happens here, in the grading process; the source is executed in a
child process (``graders.run.child``).
"""

from __future__ import annotations

import json
from pathlib import Path


class SubmissionError(Exception):
    """A submission that cannot be read as Python source; the message is one line."""


def submission_source(path: str | Path) -> str:
    """Returns the Python source of a ``.py`` file or of a notebook's code cells.

    Notebook cells are joined in order. IPython-only lines (``%magic``,
    ``!shell``) are turned into comments, since the submission runs as plain
    Python; line numbers are kept so that error messages point at the right line.

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
        return text
    return notebook_source(text, path)


def notebook_source(text: str, path: str | Path = "<notebook>") -> str:
    """The code cells of a notebook given as JSON text, joined into one script."""
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
        cells.append("\n".join(lines))
    return "\n\n".join(cells) + "\n"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
