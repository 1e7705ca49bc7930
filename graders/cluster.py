"""Grading a class on a Dask cluster: ``graders grade PATH... --cluster local:N`` or ``--scheduler ADDRESS``.

Each Dask worker keeps one warm grading server (``python -m graders.serve``, see
:mod:`graders.serve`): Keras imported once, the hidden test data and the
reference data made once, a sandboxed child forked per submission, exactly as
``graders grade --jobs`` does on one machine. The client sends submissions in
small batches, as file contents (workers on other machines need no shared
folder), together with the course's reference answers; reports come back in
input order and are the same as those of ``--jobs``.

A worker that dies while it grades a batch: the scheduler gives the batch to
another worker once (``distributed.scheduler.allowed-failures`` is 1 on the
cluster ``local:N`` starts; set it so in a scheduler's own configuration).
If that dies too, each submission of the batch is tried once more on its own,
so one submission that keeps killing workers ends with an ``error`` in its own
report and takes nobody else's with it.

On several machines (each with this package installed, all the same version)::

    dask scheduler                                   # on one machine; prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers 2 --nthreads 1     # on each grading machine
    graders grade submitted/ --scheduler tcp://HOST:8786      # in the course folder
"""

from __future__ import annotations

import atexit
import hashlib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from graders.grade import _reason, nbgrader_student, reference_cells, unreadable_report
from graders.i18n import LANG_ENV, _, current_language
from graders.practices import Practice
from graders.practices.discover import COURSE_MARKER, DECLARATIONS, SOURCE_FOLDERS

#: submissions per task: small, so that the last batches spread over every worker
DEFAULT_BATCH = 2
#: one retry elsewhere when a worker dies holding a task
ALLOWED_FAILURES = 1

_LOCAL = re.compile(r"local:(?P<workers>[1-9][0-9]*)$")


class ClusterError(Exception):
    """The cluster cannot be reached or started; the message is one line."""


def parse_cluster(text: str) -> int:
    """The number of workers in ``local:N``.

    Raises:
        ValueError: anything but ``local:`` and a positive number.
    """
    match = _LOCAL.match(text.strip())
    if not match:
        raise ValueError(_("--cluster expects local:N (N workers on this machine), got {text}").format(text=repr(text)))
    return int(match["workers"])


def grade_on_cluster(
    paths: list[str],
    practices: list[Practice],
    timeout: float,
    memory_mb: int,
    reference_dir: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    short_run: bool = True,
    assignment: str | None = None,
) -> Iterator[dict]:
    """Grades ``paths`` on a new local cluster of ``workers`` or on the one at ``scheduler``.

    The workers need no shared folder: the reference answers and a course's
    declarations of ``practices`` (with their public spec files) travel with
    each task.

    Yields one report dict per path, in input order, as soon as it and all
    before it are back.

    Raises:
        ClusterError: the scheduler cannot be reached or the cluster not started, or the
            declarations cannot be sent (see :func:`declaration_files`).
    """
    import dask
    from distributed import Client, LocalCluster

    try:
        declarations = declaration_files(practices)
    except (ValueError, OSError) as exc:  # one line for the command, as for an unreachable scheduler
        raise ClusterError(str(exc)) from None
    settings = {
        "practices": [p.name for p in practices],
        "timeout": float(timeout),
        "memory_mb": int(memory_mb),
        "reference": {name: text for name, text in _reference_files(practices, reference_dir)},
        "assignment": assignment,
        "declarations": declarations,
        "short_run": bool(short_run),
        # workers on other machines do not share this environment: messages in the client's language
        "language": current_language(),
    }
    items, reports = [], {}
    for index, path in enumerate(paths):
        try:
            items.append((index, str(path), Path(path).read_bytes()))
        except OSError as exc:
            reports[index] = unreadable_report(path, practices, _reason(exc, path))
    batches = [items[start : start + batch_size] for start in range(0, len(items), max(1, batch_size))]

    cluster = None
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        try:
            if scheduler:
                client = Client(scheduler, timeout="20s")
            else:
                cluster = LocalCluster(
                    n_workers=workers or 1, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=50,
                )
                client = Client(cluster)
        except (OSError, TimeoutError) as exc:
            where = scheduler or "local"
            raise ClusterError(_("cannot reach the Dask scheduler {scheduler}: {error}").format(scheduler=where, error=exc)) from None
    try:
        pending = {}
        for batch in batches:
            future = client.submit(grade_batch, [(p, data) for _index, p, data in batch], settings, pure=False)
            pending[future] = batch
        emitted = 0
        for future, batch in pending.items():  # in input order
            for item, result in zip(batch, _results(client, future, batch, settings)):
                result["student"] = nbgrader_student(item[1])  # from this machine's folders, not the worker's
                reports[item[0]] = result
            while emitted in reports:
                yield reports.pop(emitted)
                emitted += 1
        while emitted < len(paths):
            yield reports.pop(emitted)
            emitted += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(client, future, batch: list, settings: dict) -> list[dict]:
    """A batch's reports; when its workers died twice, each submission is tried alone once more."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        pass
    results = []
    for _index, path, data in batch:
        try:
            results.extend(client.submit(grade_batch, [(path, data)], settings, pure=False).result())
        except KilledWorker:
            practices = _practices(settings)
            reason = _("the grading worker died twice while grading this submission")
            results.append(unreadable_report(path, practices, reason))
    return results


def _reference_files(practices: list[Practice], folder: Path) -> list[tuple[str, str]]:
    return [(label.split(" ", 1)[1] + ".py", text) for label, text in reference_cells(practices, folder)]


def declaration_files(practices: list[Practice]) -> dict[str, str]:
    """The course's file that declared ``practices`` (as ``practices.py``) and their spec files beside it.

    Empty for practices an installed module declares (the lesson's): the workers have the package.

    Raises:
        ValueError: the practices come from more than one course file, or a spec file is outside its folder.
        OSError: a file cannot be read (a spec file not made yet).
    """
    files = {p.origin["file"] for p in practices if p.origin and "file" in p.origin}
    if not files:
        return {}
    if len(files) > 1:
        raise ValueError(_("the practices come from more than one practices.py: {files}").format(
            files=", ".join(sorted(files))))
    declared = Path(files.pop())
    shipped = {DECLARATIONS: declared.read_text(encoding="utf-8")}
    for practice in practices:
        if practice.spec and not Path(practice.spec).is_absolute():
            spec = (declared.parent / practice.spec).resolve()
            if declared.parent.resolve() not in spec.parents:
                raise ValueError(_("{file}: spec {spec} is outside its folder").format(file=declared, spec=practice.spec))
            shipped[str(spec.relative_to(declared.parent.resolve()))] = spec.read_text(encoding="utf-8")
    return shipped


def _practices(settings: dict) -> list[Practice]:
    from graders.grade import select_practices

    return select_practices(settings["practices"], settings.get("assignment"), _course(settings))


# --- on a worker -----------------------------------------------------------------------------

#: this worker process's grading servers, one per grading settings
_SERVERS: dict[str, object] = {}
_FOLDERS: list[str] = []


def grade_batch(batch: list[tuple[str, bytes]], settings: dict) -> list[dict]:
    """Runs on a Dask worker: grades each ``(path, contents)`` with this worker's warm grading server.

    Each submission is written under its own name into a private folder, so
    the reports (and any message naming the file) read as on the client. The
    batch goes to the server as one request. A grading server that stops is
    started afresh and each submission tried on its own, twice at most; a
    second failure becomes that submission's ``error``.
    """
    from graders.serve import TrustedGradingError

    folder = tempfile.mkdtemp(prefix="graders-batch-")
    try:
        files = []
        for index, (path, data) in enumerate(batch):
            local = Path(folder) / str(index) / Path(path).name
            local.parent.mkdir()
            local.write_bytes(data)
            files.append((path, str(local)))
        server = _server(settings)
        try:  # the whole batch in one request: the server's runner goes from one to the next at once
            request = server.submit([local for _, local in files], settings["timeout"])
            reports = server.result(request, settings["timeout"] * len(files))["reports"]
            return [_as_sent(report, path, local) for report, (path, local) in zip(reports, files, strict=True)]
        except (TrustedGradingError, KeyError, TypeError, ValueError):
            server.close(kill=True)
        reports = []
        for path, local in files:  # the server stopped: each submission alone, twice at most
            for attempt in (1, 2):
                server = _server(settings)
                try:
                    request = server.submit(local, settings["timeout"])
                    reports.append(_as_sent(server.result(request, settings["timeout"]), path, local))
                    break
                except TrustedGradingError as exc:
                    server.close(kill=True)
                    if attempt == 2:
                        reports.append(unreadable_report(path, _practices(settings), str(exc)))
        return reports
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _server(settings: dict):
    from graders.serve import GradingServer

    key = hashlib.sha256(repr(sorted(settings.items())).encode()).hexdigest()
    server = _SERVERS.get(key)
    if server is None or not server.alive:
        course = _course(settings)
        options = ["--course", course, "--reference", str(Path(course) / "reference")]
        if settings.get("assignment"):
            options += ["--assignment", settings["assignment"]]
        for practice in settings["practices"]:
            options += ["--practice", practice]
        env = {"GRADERS_SHORT_RUN": "1" if settings["short_run"] else "0", LANG_ENV: settings["language"]}
        # one warm server per worker: a client grades one assignment after another, and each server holds
        # Keras, a zygote and the hidden data (about 1 GB)
        for other in _SERVERS.values():
            other.close()
        _SERVERS.clear()
        server = GradingServer(course, settings["timeout"], settings["memory_mb"], options=options, env=env)
        _SERVERS[key] = server
    return server


#: this worker's course folders, one per grading settings: the shipped reference answers and declarations
_COURSES: dict[str, str] = {}


def _course(settings: dict) -> str:
    """A course folder on this worker made of what the client shipped (see :func:`grade_on_cluster`)."""
    key = hashlib.sha256(repr(sorted((k, settings[k]) for k in ("reference", "declarations", "assignment")
                                     if k in settings)).encode()).hexdigest()
    if key not in _COURSES:
        course = Path(tempfile.mkdtemp(prefix="graders-course-"))
        _FOLDERS.append(str(course))
        (course / COURSE_MARKER).write_text("# a course folder made by a graders worker\n")
        (course / "reference").mkdir()
        if settings.get("assignment"):  # the course has this assignment, as the client's does
            (course / SOURCE_FOLDERS[0] / Path(settings["assignment"]).name).mkdir(parents=True)
        for name, text in settings["reference"].items():
            (course / "reference" / Path(name).name).write_text(text)
        for name, text in (settings.get("declarations") or {}).items():
            target = (course / name).resolve()
            if course.resolve() not in target.parents:
                raise ValueError(f"{name}: outside the course folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        _COURSES[key] = str(course)
    return _COURSES[key]


def _as_sent(report: dict, path: str, local: str) -> dict:
    """The report with the worker's copy of the file named as the client named it."""
    report = dict(report)
    report.pop("id", None)
    shown = str(Path(path))

    def rename(value):
        if isinstance(value, str):
            return value.replace(local, shown)
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    report = rename(report)
    report["submission"] = path
    report["student"] = None  # the client's, from its own folders (see grade_on_cluster)
    return report


@atexit.register
def _close_servers() -> None:
    for server in _SERVERS.values():
        server.close()
    _SERVERS.clear()
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
