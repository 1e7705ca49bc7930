"""nbgrader settings for the Keras lesson; nbgrader reads this file from the course root.

Everything an instructor would otherwise discover the hard way is set here:
where the source notebooks live, how long a training cell may run, TensorFlow
kept off stderr (nbgrader gives a grade cell 0 points for any stderr output),
hidden tests kept out of the feedback students receive, and autograde's
scores taken from the package's trusted runner, with the notebook's kernel
run in the sandbox (see graders/autograde.py).
"""

import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from graders.autograde import (
    DeduplicateCells,
    KeepStudentMetadataUsable,
    RecordKernelDifferences,
    SandboxedExecute,
    StartTrustedGrading,
    TrustedGrades,
    refuse_linked_submissions,
)

# Inherited by every kernel nbgrader starts: TensorFlow's C++ logs and oneDNN
# notice stay quiet from the first import on.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# matplotlib draws to files, never to a window, when notebooks run unattended.
os.environ.setdefault("MPLBACKEND", "Agg")
# nbgrader runs `alembic` (when it makes the gradebook) from PATH: this environment's own, so
# `.venv/bin/nbgrader ...` works from a fresh shell without activating the environment.
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "keras-lesson"
c.CourseDirectory.source_directory = "exercises"
# the Korean lesson's translation source stays with the instructor, out of the students' release
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "markdown_ko.json"]
# The notebooks train small CNNs; a cell may need a few minutes on a slow laptop.
c.Execute.timeout = 600
c.Execute.interrupt_on_timeout = True
# Students' answers that crash the kernel get one more try, then count as failed.
c.Execute.execute_retries = 1

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback shows each grade cell's output (scores and messages) but never the
# code between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# Autograde first sanitizes each notebook (nbgrader's steps): a student's broken nbgrader metadata (a
# copied grade cell, another schema version) would abort the whole class's run, so it is made usable
# first and duplicates lose their metadata; the source notebook's cells are restored as always.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    KeepStudentMetadataUsable,
    DeduplicateCells,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
# Autograde: nbgrader's own pipeline, with three steps added and its Execute
# replaced. A grade cell's value from the student's kernel is not trusted (a
# student's cell can patch what the grade cells call): the package's runner
# grades the same code in its own sandboxed processes, and TrustedGrades puts
# that score and feedback into each grade cell before SaveAutoGrades stores it.
# The kernel itself runs in the sandbox: no network, writes only in a scratch
# copy of the student's folder, its own uid when nbgrader runs as root.
c.Autograde.autograde_preprocessors = [
    StartTrustedGrading,  # the runner starts grading while the kernel runs
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    TrustedGrades,  # waits for the runner's report; rewrites the grade cells
    SaveAutoGrades,
    RecordKernelDifferences,  # a gradebook comment where the kernel's value differed
    AssignLatePenalties,
    CheckCellMetadata,
]
# A submission folder holding a symbolic link is not graded (nbgrader would follow it: a classmate's
# notebook graded as this student's, or the reference answers copied into the feedback).
refuse_linked_submissions()
# The runner's limits for one whole submission (Execute.timeout is per cell).
c.TrustedGrades.timeout = 600
c.TrustedGrades.memory_mb = 4096
c.SandboxedKernelManager.kernel_memory_mb = 4096

# `nbgrader export` writes grades.csv with scores rounded to two decimals (not 14.690000000000001).
c.ExportApp.plugin_class = "graders.report.export.RoundedCsvExportPlugin"
