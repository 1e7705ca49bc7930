"""nbgrader's autograde with trusted scores and a sandboxed kernel.

A grade cell runs in the student's own kernel, so a student's cell can patch
whatever the grade cells call (``graders.notebook.score = lambda *a, **k: 5``).
The scores nbgrader stores therefore come from this package's runner instead,
which grades the same code in processes the student cannot reach. The
autograde pipeline (set in ``nbgrader_config.py``) reads top to bottom::

    StartTrustedGrading      sends the notebook to the grading server (it grades while the kernel runs)
    SandboxedExecute         nbgrader's Execute, its kernel launched in the sandbox
    IgnorePattern, ClearMetadataPreprocessor, LimitOutput        (nbgrader's)
    TrustedGrades            each grade cell's outputs become the trusted feedback and score
    SaveAutoGrades           (nbgrader's) stores them in the gradebook
    RecordKernelDifferences  a gradebook comment where the kernel's own value differed
    AssignLatePenalties, CheckCellMetadata                       (nbgrader's)

The grading server (``python -m graders.serve``) is started once per nbgrader
command, on first use, and ends with it: nbgrader's process (threads: zmq,
tornado) neither imports Keras nor forks. :func:`tampered_students` lists from
the gradebook the students whose kernel showed other scores than the trusted ones.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds, Execute, NbGraderPreprocessor
from traitlets import Float, Integer, List, Unicode, default

from graders.answers import GRADED_ELSEWHERE_ENV
from graders.i18n import N_, _
from graders.serve import GradingServer, TrustedGradingError

#: grade cells are named ``<practice>-public`` and ``<practice>-hidden``
GRADE_CELL = re.compile(r"(?P<practice>.+)-(?P<half>public|hidden)")
#: the gradebook comment that :func:`tampered_students` looks for starts so
MARKER = "Kernel value differed:"
#: where resources carry this module's state from one preprocessor to the next
RESOURCE_KEY = "graders_trusted"
#: a score and the kernel's value closer than this are the same (scores have two decimals)
TOLERANCE = 0.005
#: what :func:`kernel_value` says of a grade cell that left its score to the trusted grader
DEFERRED_VALUE = "deferred to the trusted grader"


# ---------------------------------------------------------------------------
# The grading server, shared by every notebook of one nbgrader command
# ---------------------------------------------------------------------------

_SERVER: GradingServer | None = None


def grading_server(cwd: str, timeout: float, memory_mb: int, assignment: str | None = None) -> GradingServer:
    """The running server for these settings, started on first use and stopped when the process exits.

    It starts with the practices of ``assignment`` ready (an nbgrader command grades one assignment).
    """
    global _SERVER
    key = (cwd, timeout, memory_mb, sys.executable)
    if _SERVER is not None and (_SERVER.key != key or not _SERVER.alive):
        _SERVER.close()
        _SERVER = None
    if _SERVER is None:
        options = ["--course", cwd] + (["--assignment", assignment] if assignment else [])
        _SERVER = GradingServer(cwd, timeout, memory_mb, options=options)
    return _SERVER


@atexit.register
def stop_grading_server() -> None:
    global _SERVER
    if _SERVER is not None:
        _SERVER.close()
        _SERVER = None


# ---------------------------------------------------------------------------
# The preprocessors
# ---------------------------------------------------------------------------


def refuse_linked_submissions() -> None:
    """Makes nbgrader's autograde refuse a submission folder that holds a symbolic link, student by student.

    nbgrader copies a submission's files (following links, as the course's
    user) and reads its notebooks before any preprocessor runs, so a link in
    ``submitted/STUDENT/ASSIGNMENT/`` (or that folder being one) would grade a
    classmate's notebook as this student's, or copy the reference answers into
    the kernel's folder and the feedback. ``nbgrader_config.py`` calls this
    once: ``Autograde.init_assignment`` then fails for that student alone, with
    the link named in nbgrader's log, before anything is copied.
    """
    from nbgrader.converters.autograde import Autograde

    original = Autograde.init_assignment
    if getattr(original, "refuses_links", False):
        return

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        link = first_link(self._format_source(assignment_id, student_id))
        if link is not None:
            message = (f"{student_id}: not graded: {link} is a symbolic link in the submission folder "
                       "(it could point at a classmate's or the course's files)")
            self.log.error(message)
            raise RuntimeError(message)
        original(self, assignment_id, student_id)

    init_assignment.refuses_links = True
    Autograde.init_assignment = init_assignment


def first_link(folder: str) -> str | None:
    """A symbolic link at ``folder``, on the way to it from nbgrader's ``submitted/``, or anywhere below it."""
    from graders.grade import linked_part

    link = linked_part(folder)
    if link is not None:
        return link
    for top, dirs, names in os.walk(folder):
        for name in sorted(dirs + names):
            if os.path.islink(os.path.join(top, name)):
                return os.path.join(top, name)
    return None


class KeepStudentMetadataUsable(NbGraderPreprocessor):
    """First of autograde's sanitize steps: nbgrader metadata a student's copy broke no longer stops the class.

    nbgrader aborts the whole ``autograde`` run, not one student's, on a cell
    whose nbgrader metadata has another schema version (jupyter/nbgrader#1083):
    copying a grade cell in Jupyter leaves such a cell behind, and so does an
    edited notebook file. Here a cell's metadata without a ``grade_id`` is
    dropped (the cell becomes an ordinary one) and the schema version of the
    others set to nbgrader's; ``OverwriteCells`` then restores every cell the
    source notebook knows, by its grade id, as it always does.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        from nbgrader.nbgraderformat import SCHEMA_VERSION

        meta = cell.metadata.get("nbgrader")
        if meta is None:
            return cell, resources
        if not isinstance(meta, dict) or not isinstance(meta.get("grade_id"), str) or not meta["grade_id"]:
            del cell.metadata["nbgrader"]
        elif meta.get("schema_version") != SCHEMA_VERSION:
            meta["schema_version"] = SCHEMA_VERSION
        return cell, resources


class DeduplicateCells(DeduplicateIds):
    """nbgrader's DeduplicateIds, but a repeated grade id's later copies lose their nbgrader metadata entirely.

    nbgrader's own leaves an empty ``nbgrader: {}``, which its metadata check
    then reads as an outdated schema and aborts the class's run.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


class TrustedGrades(NbGraderPreprocessor):
    """Replaces each grade cell's outputs with the trusted grader's feedback and score.

    A grade cell ``<practice>-public`` gets the points of the practice's public
    criteria (``Practice.public_criteria``), ``<practice>-hidden`` those of the
    others; a practice that could not be graded scores 0 in both. Where the
    kernel's own value differs, the cell's feedback says so in one line and the
    difference is passed on (in ``resources``) to :class:`RecordKernelDifferences`.
    """

    timeout = Float(600.0, help="Seconds the trusted grader gives one whole submission.").tag(config=True)
    memory_mb = Integer(4096, help="Memory (MB) the trusted grader gives one submission.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        state = resources.setdefault(RESOURCE_KEY, {})
        if "request" not in state:
            _send(self, nb, resources)
        server, request_id = state.pop("request")
        report = server.result(request_id, self.timeout)
        differences = []
        for cell in nb.cells:
            difference = self.grade_cell(cell, report)
            if difference:
                differences.append(difference)
        state["differences"] = differences
        return nb, resources

    def grade_cell(self, cell: NotebookNode, report: dict) -> dict | None:
        """Rewrites one grade cell; returns how the kernel's value differed, or None."""
        if cell.cell_type != "code" or not utils.is_grade(cell):
            return None
        grade_id = cell.metadata.nbgrader["grade_id"]
        match = GRADE_CELL.fullmatch(grade_id)
        if match is None:
            self.log.warning("grade cell %s is not <practice>-public|hidden: it keeps the kernel's value", grade_id)
            return None
        practice, hidden = match["practice"], match["half"] == "hidden"
        if practice not in report["practices"]:
            raise TrustedGradingError(f"grade cell {grade_id}: the trusted grader has no practice {practice!r}")
        points = float(cell.metadata.nbgrader["points"])
        score, text = cell_score(practice, hidden, report["practices"][practice], points)
        kernel_score, kernel_text = kernel_value(cell)
        difference = None
        if kernel_text != DEFERRED_VALUE and (kernel_score is None or abs(kernel_score - score) > TOLERANCE):
            text += "\n" + _(
                "The score shown by this notebook's own run ({kernel}) differs from the trusted"
                " grader's ({trusted}); the trusted score counts."
            ).format(kernel=shown_kernel_value(kernel_text), trusted=f"{score:g}")
            difference = {"grade_id": grade_id, "practice": practice, "kernel": kernel_text, "trusted": score}
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": f"{score:g}"}, execution_count=cell.get("execution_count")
            ),
        ]
        return difference


class StartTrustedGrading(TrustedGrades):
    """Sends the notebook to the trusted grader before the kernel runs it, so both work at once.

    Optional: without it :class:`TrustedGrades` sends the notebook itself. The
    code cells are already final here (nbgrader restored the locked cells
    before this pass), and executing the notebook does not change them.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        _send(self, nb, resources)
        return nb, resources


def _send(preprocessor: TrustedGrades, nb: NotebookNode, resources: dict) -> None:
    state = resources.setdefault(RESOURCE_KEY, {})
    if "request" in state:
        return
    folder = tempfile.mkdtemp(prefix="graders-autograde-")
    path = os.path.join(folder, f"{resources.get('nbgrader', {}).get('notebook', 'submission')}.ipynb")
    nbformat.write(nb, path)
    root = _course_root(preprocessor)
    assignment = resources.get("nbgrader", {}).get("assignment")
    server = grading_server(root, preprocessor.timeout, preprocessor.memory_mb, assignment)
    state["request"] = (server, server.submit(path, preprocessor.timeout, folder, assignment))


def _course_root(preprocessor) -> str:
    from nbgrader.coursedir import CourseDirectory

    try:
        return os.path.abspath(CourseDirectory(config=preprocessor.config).root)
    except Exception:  # a config without a course directory: nbgrader runs from the course root
        return os.getcwd()


class RecordKernelDifferences(NbGraderPreprocessor):
    """Keeps, for the instructor, a gradebook comment where the kernel's value differed.

    The comment goes on the practice's solution cell (``<practice>-answer``, or
    the practice's first solution cell), since nbgrader keeps comments for
    solution cells only. Runs after ``SaveAutoGrades``, which resets them.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        differences = resources.get(RESOURCE_KEY, {}).get("differences") or []
        if not differences:
            return nb, resources
        from nbgrader.api import Gradebook

        ids = resources["nbgrader"]
        by_practice: dict[str, list[dict]] = {}
        for difference in differences:
            by_practice.setdefault(difference["practice"], []).append(difference)
        with Gradebook(ids["db_url"]) as gradebook:
            for practice, found in by_practice.items():
                cell = answer_cell(nb, practice)
                if cell is None:
                    self.log.warning("no solution cell to record that %s's kernel value differed", practice)
                    continue
                comment = gradebook.find_comment(cell, ids["notebook"], ids["assignment"], ids["student"])
                note = comment_text(found)
                comment.auto_comment = f"{comment.auto_comment} {note}" if comment.auto_comment else note
            gradebook.db.commit()
        for practice in by_practice:
            self.log.warning("%s: the notebook's own %s scores differ from the trusted ones", ids["student"], practice)
        return nb, resources


def answer_cell(nb: NotebookNode, practice: str) -> str | None:
    """The grade_id of the practice's solution cell (``<practice>-answer`` first), or the notebook's first one."""
    solutions = [c.metadata.nbgrader["grade_id"] for c in nb.cells if utils.is_solution(c)]
    for candidates in ([f"{practice}-answer"], [s for s in solutions if s.startswith(f"{practice}-")], solutions):
        chosen = [s for s in candidates if s in solutions]
        if chosen:
            return chosen[0]
    return None


# ---------------------------------------------------------------------------
# Scores and values
# ---------------------------------------------------------------------------


def cell_score(practice: str, hidden: bool, result: dict, points: float) -> tuple[float, str]:
    """The points one grade cell earns from a practice's report, and the feedback it shows.

    Raises:
        TrustedGradingError: the rubric's points for this half are not the cell's ``points``.
    """
    from graders.notebook import feedback_notes, format_scores, grade_cell_heading

    heading = grade_cell_heading(practice, hidden)
    if result.get("error"):
        return 0.0, format_scores(heading, [], error=result["error"])
    chosen = [c for c in result.get("criteria", []) if bool(c.get("public")) != hidden]
    rubric_points = sum(c["max_score"] for c in chosen)
    if abs(rubric_points - points) > 1e-6:
        if hidden:
            text = _("{practice}: its hidden grade cell is worth {points} points, its criteria {rubric}")
        else:
            text = _("{practice}: its public grade cell is worth {points} points, its criteria {rubric}")
        raise TrustedGradingError(text.format(practice=practice, points=f"{points:g}", rubric=f"{rubric_points:g}"))
    earned = min(points, max(0.0, round(sum(c["score"] for c in chosen), 2)))
    notes = feedback_notes(result.get("feedback", []), result.get("criteria", []))
    return earned, format_scores(heading, chosen, notes, earned=earned, points=points)


def kernel_value(cell: NotebookNode) -> tuple[float | None, str]:
    """What the kernel's run of a grade cell showed: its score (None when it is not a clean one) and a phrase.

    The phrase never quotes the student's output, only numbers and an exception's class name.
    """
    from graders.notebook import DEFERRED

    points = float(cell.metadata.nbgrader["points"])
    printed = "".join(
        "".join(o.get("text", "")) for o in cell.get("outputs", []) if o.output_type == "stream" and o.get("name") == "stdout"
    )
    results = [o for o in cell.get("outputs", []) if o.output_type == "execute_result"]
    if printed.strip() == DEFERRED and len(results) == 1 and results[0].get("data", {}).get("text/plain") == "0.0":
        return None, DEFERRED_VALUE  # an untouched grade cell in the trusted autograde's kernel
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            name = re.sub(r"[^\w.]", "", str(output.get("ename", "")))[:40] or "an exception"
            return None, f"an error, {name}"
        if output.output_type == "stream" and output.get("name") == "stderr":
            return None, N_("output on stderr")
        if output.output_type == "execute_result":
            text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            try:
                value = float(text)
            except ValueError:
                return None, N_("a value that is not a number")
            if value != value or value < 0:
                return None, N_("a value that is not a score")
            if value > points:
                return None, f"{value:g}, above its {points:g} points"
            return value, f"{value:g}"
    return None, N_("no value")


def shown_kernel_value(phrase: str) -> str:
    """A phrase of :func:`kernel_value` in the current language, for the grade cell's text.

    The phrase itself stays English in the gradebook's comment, which
    :func:`tampered_students` parses back.
    """
    error = re.fullmatch(r"an error, (?P<name>.+)", phrase)
    if error:
        return _("an error, {name}").format(name=error["name"])
    above = re.fullmatch(r"(?P<value>\S+), above its (?P<points>\S+) points", phrase)
    if above:
        return _("{value}, above its {points} points").format(value=above["value"], points=above["points"])
    return _(phrase)


def comment_text(differences: list[dict]) -> str:
    """The instructor's comment: which grade cells showed what, against the trusted score."""
    cells = "; ".join(f"{d['grade_id']} showed {d['kernel']}, trusted {d['trusted']:g}" for d in differences)
    return f"{MARKER} {cells}. The gradebook holds the trusted scores."


_CELL_IN_COMMENT = re.compile(r"(?P<grade_id>\S+) showed (?P<kernel>.+?), trusted (?P<trusted>-?[0-9.]+)(?=[;.]|$)")


def tampered_students(gradebook_url: str, assignment: str | None = None) -> list[dict]:
    """The students whose notebook's own grade cells showed other values than the trusted grader.

    Reads the comments :class:`RecordKernelDifferences` left in the gradebook,
    through nbgrader's API. ``gradebook_url`` is a database URL
    (``sqlite:///course/gradebook.db``), a ``gradebook.db`` path, or a course folder.

    Returns:
        One dict per student, assignment and notebook that differed, sorted by
        student: ``{"student", "assignment", "notebook", "cells": [{"grade_id",
        "kernel", "trusted"}], "comments": [str]}``, where ``kernel`` says what the
        notebook showed ("5", "an error, NameError", "no value", ...) and
        ``trusted`` is the score the gradebook holds. Empty when none differed.

    Example:
        >>> [row["student"] for row in tampered_students("sqlite:///course/gradebook.db")]
        ['mallory']
    """
    from nbgrader.api import Comment, Gradebook

    rows: dict[tuple, dict] = {}
    with Gradebook(_database_url(gradebook_url)) as gradebook:
        comments = gradebook.db.query(Comment).filter(Comment.auto_comment.contains(MARKER)).all()
        for comment in comments:
            notebook = comment.notebook
            key = (notebook.student.id, notebook.assignment.name, notebook.name)
            if assignment is not None and key[1] != assignment:
                continue
            row = rows.setdefault(
                key, {"student": key[0], "assignment": key[1], "notebook": key[2], "cells": [], "comments": []}
            )
            text = comment.auto_comment[comment.auto_comment.index(MARKER) + len(MARKER) :]
            row["comments"].append(MARKER + text)
            for match in _CELL_IN_COMMENT.finditer(text):
                row["cells"].append(
                    {"grade_id": match["grade_id"], "kernel": match["kernel"], "trusted": float(match["trusted"].rstrip("."))}
                )
    return [rows[key] for key in sorted(rows)]


def _database_url(location: str) -> str:
    if "://" in str(location):
        return str(location)
    path = Path(location)
    if path.is_dir():
        path = path / "gradebook.db"
    return f"sqlite:///{path.resolve()}"


# ---------------------------------------------------------------------------
# The sandboxed kernel
# ---------------------------------------------------------------------------

class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel through ``python -m graders.run.kernel``, which enters the sandbox first.

    Before launch it makes the kernel a private scratch folder: a copy of the
    files of the folder nbgrader runs the notebook in (the student's autograded
    folder), owned, when nbgrader runs as root, by an unused uid claimed for
    this kernel (:func:`graders.run.sandbox.claim_uid`). The kernel's working directory and only writable tree is that
    copy; it talks to nbgrader over zmq's ipc transport (Unix sockets in the
    copy's ``.kernel`` folder), since the sandbox gives it no network. The
    kernel's cgroup is killed and the folder removed when the kernel is shut down.
    """

    kernel_memory_mb = Integer(4096, help="Memory limit (MB) of a sandboxed kernel.").tag(config=True)
    kernel_pids = Integer(1024, help="Most threads a sandboxed kernel may have (its cgroup's pids.max).").tag(
        config=True
    )
    scratch_root = Unicode("", help="Where kernels' scratch folders are made (default: the system temp dir).").tag(
        config=True
    )
    launcher = List(Unicode(), help="The command that enters the sandbox and runs the kernel.").tag(config=True)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("launcher")
    def _default_launcher(self) -> list:
        # -I: the launcher starts privileged in the student's folder copy, so
        # neither that folder nor PYTHON* variables may put modules before ours
        return [sys.executable, "-I", "-m", "graders.run.kernel"]

    scratch: str | None = None
    kernel_uid: int | None = None
    cgroup = None
    _uid_lock: int | None = None

    async def _async_pre_start_kernel(self, **kw):
        from graders.run import sandbox
        from graders.run.sandbox import Cgroup

        if self.scratch is None:
            source = kw.get("cwd") or os.getcwd()
            if os.geteuid() == 0:
                self.kernel_uid, self._uid_lock = sandbox.claim_uid(from_top=True)
            self.scratch = make_scratch(source, self.kernel_uid, self.scratch_root or None)
            # ipc sockets are "<ip>-<port>": inside the scratch folder, where the kernel may bind
            self.ip = os.path.join(self.scratch, ".kernel", "zmq")
        else:  # a restart keeps the folder, the uid and the sockets' paths
            fresh_kernel_folder(self.scratch, self.kernel_uid)
        _UNRELEASED.add(self)
        if self.cgroup is None:
            name = f"kernel-{os.getpid()}-{os.path.basename(self.scratch)}"
            self.cgroup = Cgroup(name, self.kernel_memory_mb, pids_max=self.kernel_pids)
        kw["cwd"] = self.scratch
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # TrustedGrades replaces every grade cell's output: the kernel's own grading would be wasted work
        kw["env"] = {**kw.get("env", os.environ), GRADED_ELSEWHERE_ENV: "1"}
        options = ["--workdir", self.scratch, "--memory", str(self.kernel_memory_mb), "--pids", str(self.kernel_pids)]
        if self.cgroup.active:
            options += ["--cgroup", self.cgroup.name]
        if self.kernel_uid is not None:
            options += ["--uid", str(self.kernel_uid)]
        return [*self.launcher, *options, "--", *kernel_cmd], kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            self.release_sandbox(keep_folder=restart)

    # the base classes bind this name to their own function: nbclient calls it for a kernel that died
    cleanup_resources = _async_cleanup_resources

    def release_sandbox(self, keep_folder: bool = False) -> None:
        """Kills whatever is left in the kernel's cgroup and removes it, and the scratch folder unless kept."""
        if self.cgroup is not None:
            try:
                self.cgroup.remove()  # kills what is left first
            except Exception:  # the kernel is gone either way; an empty cgroup left behind is harmless
                self.log.warning("could not remove the kernel's cgroup %s", self.cgroup.name)
            self.cgroup = None
        if self.scratch and not keep_folder:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
            if self._uid_lock is not None:  # its processes are gone: the uid is free again
                os.close(self._uid_lock)
                self._uid_lock = None
                self.kernel_uid = None
            _UNRELEASED.discard(self)


#: kernel managers whose sandbox is not released yet; released at exit if nothing else did
_UNRELEASED: set = set()


@atexit.register
def release_kernels() -> None:
    for manager in list(_UNRELEASED):
        manager.release_sandbox()


class SandboxedExecute(Execute):
    """nbgrader's Execute with :class:`SandboxedKernelManager`.

    A subclass because ``Execute.__init__`` fixes ``kernel_manager_class``
    before configuration could set it; ``c.Execute.*`` settings still apply.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)


def make_scratch(source: str, uid: int | None, parent: str | None = None) -> str:
    """A private copy of ``source``'s files (symlinks kept as links, never followed), owned by ``uid``.

    The names the kernel's sandbox uses at its top (``.kernel`` for the
    connection file and sockets, ``tmp``, ``.matplotlib``) are made fresh, so a
    student's file or symlink of that name cannot steer what the privileged
    launcher writes.
    """
    scratch = tempfile.mkdtemp(prefix="graders-kernel-", dir=parent)
    if os.path.isdir(source):
        shutil.copytree(source, scratch, symlinks=True, dirs_exist_ok=True)
    for name in ("tmp", ".matplotlib"):
        _remove(os.path.join(scratch, name))
    fresh_kernel_folder(scratch, uid)
    if uid is not None:
        for folder, dirs, files in os.walk(scratch):
            os.chown(folder, uid, uid)
            for name in dirs + files:
                os.lchown(os.path.join(folder, name), uid, uid)
    os.chmod(scratch, 0o700)
    return scratch


def fresh_kernel_folder(scratch: str, uid: int | None) -> str:
    """Makes ``scratch/.kernel`` a new, empty, real directory (a restarted kernel's old one may have been changed)."""
    folder = os.path.join(scratch, ".kernel")
    _remove(folder)
    os.mkdir(folder, 0o700)
    if uid is not None:
        os.lchown(folder, uid, uid)
    return folder


def _remove(path: str) -> None:
    """Removes a file, a symlink (never what it points to) or a directory tree."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)
