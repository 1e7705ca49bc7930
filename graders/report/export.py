"""``nbgrader export`` with scores rounded to hundredths, for a learning-management system.

nbgrader's own CSV export writes a total as Python prints the float sum of its
grade cells (``14.690000000000001``). This plugin writes the same file and
rounds its score columns. A course selects it in ``nbgrader_config.py``::

    c.ExportApp.plugin_class = "graders.report.export.RoundedCsvExportPlugin"
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile

from nbgrader.plugins.export import CsvExportPlugin

from graders.report.stats import plain_number

#: the columns of nbgrader's CSV export that hold points
SCORE_COLUMNS = ("raw_score", "late_submission_penalty", "score", "max_score")


class RoundedCsvExportPlugin(CsvExportPlugin):
    """nbgrader's CSV export, every score rounded to hundredths (``14.69``)."""

    def export(self, gradebook) -> None:
        super().export(gradebook)
        round_scores(self.to or "grades.csv")


def round_scores(path: str | os.PathLike) -> None:
    """Rewrites a CSV of nbgrader's export in place with its score columns rounded to hundredths.

    A cell that is not a number (an empty one) is kept as it is.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return
    columns = [index for index, name in enumerate(rows[0]) if name in SCORE_COLUMNS]
    for row in rows[1:]:
        for index in columns:
            if index < len(row):
                try:
                    row[index] = plain_number(float(row[index]))
                except ValueError:
                    pass
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", newline="", encoding="utf-8", dir=folder, delete=False) as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    shutil.copymode(path, handle.name)
    os.replace(handle.name, path)
