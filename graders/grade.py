"""The grading pipeline, top to bottom: read → run in isolation → score → report.

    submission files ──read──▶ code cells ──run (forked child each)──▶ collected data
    reference answers ─────────────────────────────────────────────▶ reference data
    collected data + reference data ──score (practice rubric)──▶ report dicts

A report is the dict the CLI prints as one JSON line:
``{"submission", "practices": {name: {...}}, "total", "max_total", "error", "notes"}``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from graders.practices import PRACTICES, Practice
from graders.rubric import PracticeResult
from graders.run.load import SubmissionError, submission_cells
from graders.run.pool import Job, call_in_child, run_jobs

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 4096
#: making hidden test data (checkpoint directories) is the grader's own work,
#: not a student's, so it does not share the per-submission timeout
CONTEXT_TIMEOUT = 300.0


def select_practices(names: Iterable[str] | None = None) -> list[Practice]:
    """The practices to grade, in lesson order; all of them by default.

    Raises:
        KeyError: an unknown practice name (the message lists the known ones).
    """
    if not names:
        return list(PRACTICES.values())
    unknown = [n for n in names if n not in PRACTICES]
    if unknown:
        raise KeyError(f"unknown practice {', '.join(unknown)}; choose from {', '.join(PRACTICES)}")
    return [PRACTICES[n] for n in PRACTICES if n in names]


def reference_cells(practices: list[Practice]) -> list:
    """A submission made of the reference answers, run like any other."""
    source = "".join(f"from graders.reference.{p.reference_module} import {p.function}\n" for p in practices)
    return [("reference answers", source)]


def grade_submissions(
    paths: list[str],
    practices: list[Practice] | None = None,
    parallel: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Iterator[dict]:
    """Grades each submission file; yields one report dict per path, in order.

    A submission that cannot be read or run still gets a report, with every
    practice at 0 and ``error`` saying why. Reports are yielded as soon as they
    and all those before them are ready.
    """
    practices = practices or select_practices()
    session = Path(tempfile.mkdtemp(prefix="graders-"))
    try:
        contexts = prepare_contexts(practices, session / "context")
        reference = Job(
            "reference", reference_cells(practices), practices, contexts, str(session / "reference"), trusted=True
        )
        jobs, reports = [reference], {}
        for index, path in enumerate(paths):
            try:
                cells = submission_cells(path)
            except (SubmissionError, OSError) as exc:
                reports[index] = unreadable_report(path, practices, _reason(exc, path))
                continue
            jobs.append(Job(str(index), cells, practices, contexts, str(session / f"submission-{index}")))

        finished: dict[int, Job] = {}
        reference_data = None
        emitted = 0
        for job in run_jobs(jobs, parallel, timeout, memory_mb):
            if job is reference:
                reference_data = _reference_data(job)
            else:
                finished[int(job.key)] = job
            if reference_data is None:
                continue
            for index in list(finished):
                reports[index] = score_job(paths[index], finished.pop(index), practices, reference_data, contexts)
            while emitted in reports:
                yield reports.pop(emitted)
                emitted += 1
        while emitted < len(paths):
            yield reports.pop(emitted)
            emitted += 1
    finally:
        shutil.rmtree(session, ignore_errors=True)


def prepare_contexts(practices: list[Practice], workdir: Path) -> dict:
    """Each practice's context (hidden test data), made in a child process."""
    needing = [p for p in practices if type(p).context is not Practice.context]
    if not needing:
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    return call_in_child(lambda: {p.name: p.context(str(workdir / p.name)) for p in needing}, CONTEXT_TIMEOUT)


def score_job(path: str, job: Job, practices: list[Practice], reference: dict, contexts: dict) -> dict:
    """Scores one finished job against the reference data; never raises for a bad answer."""
    results = {}
    for practice in practices:
        outcome = job.outcomes.get(practice.name, {})
        if job.error is not None:
            results[practice.name] = practice.failed(job.error)
        elif "reason" in outcome:
            results[practice.name] = practice.failed(outcome["reason"])
        else:
            results[practice.name] = _score(practice, outcome["data"], reference[practice.name], contexts)
    return report(path, results, job.error, job.notes)


def _score(practice: Practice, data: dict, reference: dict, contexts: dict) -> PracticeResult:
    try:
        return practice.score(data, reference, contexts.get(practice.name, {}))
    except Exception as exc:  # a grader bug must cost one practice, not the class's whole run
        return practice.failed(f"the grader could not score this answer ({type(exc).__name__}: {exc})")


def _reference_data(job: Job) -> dict:
    problems = [o["reason"] for o in job.outcomes.values() if "reason" in o]
    if job.error or problems:
        raise RuntimeError(f"the reference answers failed to run: {job.error or problems[0]}")
    return {name: outcome["data"] for name, outcome in job.outcomes.items()}


def unreadable_report(path: str, practices: list[Practice], reason: str) -> dict:
    return report(path, {p.name: p.failed(reason) for p in practices}, reason)


def report(path: str, results: dict[str, PracticeResult], error: str | None, notes: list | None = None) -> dict:
    return {
        "submission": str(path),
        "practices": {name: result.to_dict() for name, result in results.items()},
        "total": round(sum(r.score for r in results.values()), 2),
        "max_total": round(sum(r.max_score for r in results.values() if r.graded), 2),
        "error": error,
        "notes": list(notes or []),
    }


def _reason(exc: Exception, path: str) -> str:
    if isinstance(exc, SubmissionError):
        return str(exc)
    return f"{path}: cannot be read ({exc.strerror or exc})"
