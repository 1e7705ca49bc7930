"""The grading pipeline, top to bottom: read → run in a sandbox → examine → score → report.

    submission files ──read──▶ code cells ──run (sandboxed child)──▶ evidence
    evidence ──examine (fresh trusted child: rebuild models)──▶ data
    reference/ folder ──the same way──▶ reference data
    data + reference data ──score (practice rubric, in this process)──▶ report dicts

A report is the dict the CLI prints as one JSON line:
``{"submission", "student", "practices": {name: {...}}, "total", "max_total", "error", "notes"}``
(``student`` is nbgrader's student id when the file lies in ``submitted/STUDENT/ASSIGNMENT/``, else None).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from graders.files import remove_tree
from graders.i18n import _
from graders.practices import Practice
from graders.practices.discover import (
    COURSE_MARKER,
    DECLARATIONS,
    SOURCE_FOLDERS,
    STUDENT_FOLDERS,
    course_root,
    practices_for,
)
from graders.rubric import PracticeResult
from graders.run.load import SubmissionError, submission_cells
from graders.run.pool import Job, Runner, call_in_child

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 4096
#: making hidden test data (checkpoint directories) is the grader's own work,
#: not a student's, so it does not share the per-submission timeout
CONTEXT_TIMEOUT = 300.0
#: where the reference answers are looked for when no folder is given
REFERENCE_ENV = "GRADERS_REFERENCE"


#: what a submission may be
SUBMISSION_SUFFIXES = (".py", ".ipynb")
#: folders never searched for submissions: Jupyter's autosaves, caches, hidden folders
SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__")


class ReferenceNotFound(Exception):
    """The course's reference answers cannot be found; the message is one line."""


def select_practices(names: Iterable[str] | None = None, assignment: str | None = None,
                     course: str | os.PathLike | None = None) -> list[Practice]:
    """The practices to grade, in declared order; all those of ``assignment`` by default.

    The practices are the course's (``course``, default: the course around the
    working directory) for ``assignment``, found as
    :func:`graders.practices.discover.practices_for` says: the lesson's by default.

    Raises:
        KeyError: an unknown practice name (the message lists the known ones).
        DeclarationError: the course's declarations cannot be loaded.
    """
    known = {p.name: p for p in practices_for(assignment, course)}
    if not names:
        return list(known.values())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise KeyError(_("unknown practice {names}; choose from {known}").format(
            names=", ".join(unknown), known=", ".join(known)))
    return [known[n] for n in known if n in names]


def expand_submissions(paths: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """The submission files named by ``paths``, and a one-line problem for each path that is none.

    A file is kept as given (a missing or unreadable one too: grading reports
    it). A directory stands for every ``.py`` and ``.ipynb`` file below it, in
    sorted order, Jupyter's checkpoints and hidden folders left out; nbgrader's
    ``submitted/STUDENT/ASSIGNMENT/`` folders are such directories, where only
    the files directly in an assignment's folder count (see
    :func:`_not_a_submission`; nor does the ``practices.py`` released with an
    assignment). A file of
    another type, a directory without submissions, or a symbolic link found in
    a directory (it could point at a classmate's file) is a problem.

    Returns:
        ``(files, problems)``: ``problems`` maps each refused path to its message.
    """
    files, problems = [], {}
    refused_link = _("{path}: a symbolic link in a submission folder is not graded")
    for path in paths:
        folder = Path(path)
        link = linked_part(path)
        if link is not None:  # named on the command line, or a folder on the way to it
            problems[path] = refused_link.format(path=link)
        elif folder.is_dir():
            found, linked = [], []
            for top, dirs, names in os.walk(folder):
                if _skipped(Path(top).relative_to(folder)):
                    continue
                linked += [str(Path(top, d)) for d in dirs if os.path.islink(Path(top, d))]  # never walked
                found += [str(Path(top, name)) for name in names
                          # a course's practices.py is released beside the notebook and may come back with it
                          if Path(name).suffix.lower() in SUBMISSION_SUFFIXES and not name.startswith(".")
                          and name != DECLARATIONS]
            found = sorted(f for f in found if not _not_a_submission(f))
            linked += [f for f in found if os.path.islink(f)]  # it could point at a classmate's file
            for link in sorted(linked):
                problems[link] = refused_link.format(path=link)
            files.extend(f for f in found if f not in linked)
            if not found and not linked:
                problems[path] = _("{path}: no .py or .ipynb files in this folder").format(path=path)
        elif folder.suffix.lower() not in SUBMISSION_SUFFIXES:
            problems[path] = _("{path}: not a .py or .ipynb file").format(path=path)
        else:
            files.append(str(path))
    return files, problems


def _skipped(relative: Path) -> bool:
    return any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative.parts)


#: a course's folders that hold a copy of each student's work, ``FOLDER/STUDENT/ASSIGNMENT/`` (nbgrader's)
SUBMITTED = "submitted"


def nbgrader_place(path: str | os.PathLike) -> tuple[str, str, tuple[str, ...]] | None:
    """``(STUDENT, ASSIGNMENT, rest)`` when ``path`` lies in nbgrader's ``submitted/STUDENT/ASSIGNMENT/``, else None.

    ``autograded/`` and ``feedback/`` hold the same layout. ``rest`` is the path
    below the assignment's folder (``("x.ipynb",)`` for a file in it). A student
    can make folders of any name inside their own, even ``submitted/bob/ASSIGNMENT/``
    with an ``nbgrader_config.py`` beside it, so the course's own folder is the
    outermost one that lies in no other's ``STUDENT/ASSIGNMENT/``: the one beside
    the course's ``nbgrader_config.py`` if it has one, else the outermost.
    """
    parts = Path(os.path.abspath(path)).parts
    places = [i for i in range(len(parts) - 3) if parts[i] in STUDENT_FOLDERS]
    if not places:
        return None
    # a folder inside an outer place's STUDENT/ASSIGNMENT/ is a student's own making
    free = [i for i in places if not any(j + 3 <= i for j in places if j < i)]
    rooted = [i for i in free if (Path(*parts[:i]) / COURSE_MARKER).is_file()]
    i = (rooted or places)[0]
    return parts[i + 1], parts[i + 2], tuple(parts[i + 3:])


def nbgrader_student(path: str | os.PathLike) -> str | None:
    """STUDENT when ``path`` lies in nbgrader's layout ``submitted/STUDENT/ASSIGNMENT/...``, else None."""
    place = nbgrader_place(path)
    return place[0] if place else None


def nbgrader_assignment(path: str | os.PathLike) -> str | None:
    """ASSIGNMENT when ``path`` lies in nbgrader's layout ``submitted/STUDENT/ASSIGNMENT/...``, else None."""
    place = nbgrader_place(path)
    return place[1] if place else None


def _not_a_submission(path: str) -> bool:
    """A file in an nbgrader assignment folder that is not the student's submission.

    Only the files directly in ``submitted/STUDENT/ASSIGNMENT/`` are: not those in
    folders below it, not ``.py`` files beside the notebooks (the student's
    helper modules; a folder of ``.py`` files only is a class's ``.py`` answers),
    and, when the course's source folder of the assignment is there, only the
    notebooks it releases (nbgrader grades those; a student's copy beside one is not).
    """
    place = nbgrader_place(path)
    if place is None:
        return False
    if len(place[2]) != 1:
        return True
    folder, suffix = Path(path).parent, Path(path).suffix.lower()
    if suffix == ".py":
        return any(p.suffix.lower() == ".ipynb" for p in folder.iterdir())
    released = _released_notebooks(path, place[1])
    return released is not None and Path(path).name not in released


def _released_notebooks(path: str, assignment: str) -> set[str] | None:
    """The names of the notebooks the course's source folder of ``assignment`` holds, or None when unknown."""
    course = course_root(Path(path).parent)
    if course is None:
        return None
    for folder in SOURCE_FOLDERS:
        source = course / folder / assignment
        if source.is_dir():
            return {p.name for p in source.glob("*.ipynb")} or None
    return None


def linked_part(path: str | os.PathLike) -> str | None:
    """The first symbolic link on ``path`` from nbgrader's ``submitted/`` down (the file itself included), or None.

    A link there could point at a classmate's work or the course's files: it is never graded.
    """
    parts = Path(os.path.abspath(path)).parts
    places = [i for i in range(len(parts)) if parts[i] in STUDENT_FOLDERS]
    start = places[0] + 1 if places else len(parts)
    for end in range(start, len(parts) + 1):
        if os.path.islink(Path(*parts[:end])):
            return str(Path(*parts[:end]))
    return str(path) if os.path.islink(path) else None


def by_assignment(paths: list[str], assignment: str | None = None) -> dict[str | None, list[str]]:
    """``paths`` grouped by the assignment whose practices grade them, in order of first appearance.

    ``assignment`` applies to every path; otherwise a path in nbgrader's
    ``submitted/STUDENT/ASSIGNMENT/`` layout is that assignment's, any other None
    (the course's default practices).
    """
    groups: dict[str | None, list[str]] = {}
    for path in paths:
        groups.setdefault(assignment or nbgrader_assignment(path), []).append(path)
    return groups


def find_reference_dir(practices: list[Practice], given: str | os.PathLike | None = None,
                       course: str | os.PathLike | None = None) -> Path:
    """The course's ``reference/`` folder, which holds ``<practice.reference>.py`` for each practice.

    Looked for in ``given``, else ``$GRADERS_REFERENCE``, else ``COURSE/reference``
    of the ``course`` folder given or found around the working directory
    (:func:`graders.practices.discover.course_root`), else ``reference/`` in the
    working directory or the nearest parent that has one. The reference answers never ship in the installed
    package, so students cannot read them.

    Raises:
        ReferenceNotFound: no such folder, or a reference answer is missing.
    """
    needed = [f"{p.reference}.py" for p in practices]
    chosen = given or os.environ.get(REFERENCE_ENV)
    if course is None and not chosen:
        course = course_root()  # never a folder a student made inside the course's own
    if chosen:
        candidates = [Path(chosen)]
    elif course is not None:
        candidates = [Path(course) / "reference"]
    else:
        here = Path.cwd().resolve()
        candidates = [folder / "reference" for folder in (here, *here.parents)]
        candidates = [c for c in candidates if c.is_dir()][:1] or [here / "reference"]
    folder = candidates[0]
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise ReferenceNotFound(
            _("{folder}: no reference answers ({missing}); run from the course folder "
              "or pass --reference DIR (or set {variable})").format(
                folder=folder, missing=", ".join(missing), variable=REFERENCE_ENV)
        )
    return folder.resolve()


def reference_cells(practices: list[Practice], folder: Path) -> list:
    """A submission made of the course's reference answers, run like any other."""
    cells = []
    for name in dict.fromkeys(p.reference for p in practices):
        cells.append((f"reference {name}", (folder / f"{name}.py").read_text()))
    return cells


class Grader:
    """Grades submissions against the course's reference answers; reusable across calls.

    It keeps a sandboxed runner (a warm zygote that forks a child per
    submission), the hidden test data and the reference data between calls,
    so a server that grades one notebook at a time pays for them once.

    Raises :class:`ReferenceNotFound` when the reference answers are missing.

    Example::

        with Grader(parallel=2) as grader:
            for report in grader.grade(["alice.py", "ben.ipynb"]):
                print(report["total"])
    """

    def __init__(
        self,
        practices: list[Practice] | None = None,
        parallel: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        reference_dir: str | os.PathLike | None = None,
        course: str | os.PathLike | None = None,
    ):
        self.practices = practices or select_practices(course=course)
        self._reference_cells = reference_cells(self.practices,
                                                find_reference_dir(self.practices, reference_dir, course))
        self.session = Path(tempfile.mkdtemp(prefix="graders-"))
        self.session.chmod(0o711)
        self._count = 0
        self._reference_data: dict | None = None
        # the zygote is forked before any hidden data, reference data or report exists here
        self.runner = Runner(self.practices, parallel, timeout, memory_mb)
        try:
            self.contexts = prepare_contexts(self.practices, self.session / "context")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.runner.close()
        remove_tree(self.session)

    def grade(self, paths: list[str]) -> Iterator[dict]:
        """Grades each submission file; yields one report dict per path, in order.

        A submission that cannot be read or run still gets a report, with every
        practice at 0 and ``error`` saying why. Reports are yielded as soon as
        they and all those before them are ready.
        """
        jobs, reports, index_of = [], {}, {}
        if self._reference_data is None:
            reference = self._job(self._reference_cells, trusted=True)
            jobs.append(reference)
        for index, path in enumerate(paths):
            try:
                cells = submission_cells(path)
            except (SubmissionError, OSError) as exc:
                reports[index] = unreadable_report(path, self.practices, _reason(exc, path))
                continue
            job = self._job(cells)
            index_of[job.key] = index
            jobs.append(job)

        finished: dict[int, dict] = {}
        emitted = 0
        for job in self.runner.run(jobs):
            data = self._settle(job)
            if job.trusted:
                self._reference_data = _reference_data(job, data)
            else:
                finished[index_of[job.key]] = (job, data)
            if self._reference_data is None:
                continue
            for index in list(finished):
                job, data = finished.pop(index)
                reports[index] = self._score(paths[index], job, data)
            while emitted in reports:
                yield reports.pop(emitted)
                emitted += 1
        while emitted < len(paths):
            yield reports.pop(emitted)
            emitted += 1

    def _job(self, cells: list, trusted: bool = False) -> Job:
        self._count += 1
        folder = self.session / f"job-{self._count}"
        folder.mkdir(mode=0o711)
        contexts, read_only = {}, []
        for practice in self.practices:
            hidden = folder / f"hidden-{practice.name}"
            seen = practice.submission_context(self.contexts.get(practice.name, {}), str(hidden))
            contexts[practice.name] = seen
            if hidden.exists():
                read_only.append(str(hidden))
        return Job(str(self._count), cells, self.practices, contexts, str(folder), trusted, tuple(read_only))

    def _settle(self, job: Job) -> dict:
        """Each practice's data after the grading process's own checks; then the job's folder goes."""
        data = {}
        try:
            for practice in self.practices:
                outcome = job.outcomes.get(practice.name, {})
                if job.error is None and "data" in outcome:
                    try:
                        data[practice.name] = practice.settle(
                            outcome["data"], self.contexts.get(practice.name, {}), job.contexts[practice.name]
                        )
                    except Exception as exc:  # a grader bug costs this practice, with a reason
                        outcome.pop("data")
                        outcome["reason"] = _("the grader could not check this answer ({error}: {message})").format(
                            error=type(exc).__name__, message=exc)
        finally:
            remove_tree(job.folder)
        return data

    def _score(self, path: str, job: Job, data: dict) -> dict:
        """Scores one finished job against the reference data; never raises for a bad answer."""
        results = {}
        for practice in self.practices:
            outcome = job.outcomes.get(practice.name, {})
            if job.error is not None:
                results[practice.name] = practice.failed(job.error)
            elif practice.name not in data:
                results[practice.name] = practice.failed(outcome.get("reason") or _("no answer was recorded"))
            else:
                results[practice.name] = _score(
                    practice, data[practice.name], self._reference_data[practice.name], self.contexts
                )
        return report(path, results, job.error, job.notes)


def grade_submissions(
    paths: list[str],
    practices: list[Practice] | None = None,
    parallel: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    reference_dir: str | os.PathLike | None = None,
) -> Iterator[dict]:
    """Grades each submission file once; yields one report dict per path, in order (see :class:`Grader`)."""
    with Grader(practices, parallel, timeout, memory_mb, reference_dir) as grader:
        yield from grader.grade(paths)


def prepare_contexts(practices: list[Practice], workdir: Path) -> dict:
    """Each practice's context (hidden test data), made in a child process."""
    needing = [p for p in practices if type(p).context is not Practice.context]
    if not needing:
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    return call_in_child(lambda: {p.name: p.context(str(workdir / p.name)) for p in needing}, CONTEXT_TIMEOUT)


def _score(practice: Practice, data: dict, reference: dict, contexts: dict) -> PracticeResult:
    try:
        return practice.finish(practice.score(data, reference, contexts.get(practice.name, {})))
    except Exception as exc:  # a grader bug must cost one practice, not the class's whole run
        return practice.failed(_("the grader could not score this answer ({error}: {message})").format(
            error=type(exc).__name__, message=exc))


def _reference_data(job: Job, data: dict) -> dict:
    problems = [o["reason"] for o in job.outcomes.values() if "reason" in o]
    if job.error or problems:
        raise RuntimeError(_("the reference answers failed to run: {reason}").format(reason=job.error or problems[0]))
    return data


def unreadable_report(path: str, practices: list[Practice], reason: str) -> dict:
    return report(path, {p.name: p.failed(reason) for p in practices}, reason)


def report(path: str, results: dict[str, PracticeResult], error: str | None, notes: list | None = None) -> dict:
    return {
        "submission": str(path),
        "student": nbgrader_student(path),
        "practices": {name: result.to_dict() for name, result in results.items()},
        "total": round(sum(r.score for r in results.values()), 2),
        "max_total": round(sum(r.max_score for r in results.values() if r.graded), 2),
        "error": error,
        "notes": list(notes or []),
    }


def _reason(exc: Exception, path: str) -> str:
    if isinstance(exc, SubmissionError):
        return str(exc)
    return _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror or exc)
