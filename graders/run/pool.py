"""The side of the runner that lives in the grading process: forks, watches, collects.

Every sandboxed child is forked by a *zygote*: a program the grading process
starts (``graders.run.zygote``, not a fork of the grading process) that imports
Keras once, before any submission was read or scored. So a child starts warm
(no multi-second import) yet its memory holds no other student's result, and
never a reference answer. Each child enters the sandbox
(``graders.run.sandbox``) before it runs anything of a submission.

A job (one submission) goes through two kinds of child:

1. a *student* child runs the submission and sends evidence per practice
   (``graders.run.child.run_child``); the pipe it writes to is read as hostile
   input: size caps, a strict schema, unknown or repeated events ignored and
   noted;
2. an *examine* child, which never ran student code, turns the evidence of the
   practices that need Keras into data to score (``run_examine``: a model
   rebuilt from its JSON and described).

A child that hangs past its time, uses too much memory or dies is killed with
everything it started; the practice it was in scores 0 with a reason, and the
practices it had not reached are tried again in a fresh child. A child that
dies before it reported anything is retried once, never more.

One loop (``_Children``) forks and collects every child: the runner's through
the zygote, and :func:`call_in_child`'s (the grader's own work, no student
code) directly from the grading process. It reads each child's pipe, stops a
child past its deadline or its memory, reaps it and closes its descriptors.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graders.answers import GRADED_ELSEWHERE_ENV
from graders.i18n import _
from graders.run import sandbox
from graders.run.child import run_child, run_examine

#: how often running children are checked, seconds
POLL_SECONDS = 0.1
#: one event line, and all a child may send, at most
MAX_EVENT_BYTES = 8 * 2**20
MAX_TASK_BYTES = 32 * 2**20
#: what a child may write to its output log (and to any file)
LOG_MB = 64
#: what a child may write in its workdir in all, when root (a tmpfs, counted as its memory)
DISK_MB = 512
#: text fields of events are cut to this length
MAX_TEXT = 500
#: messages the grader did not ask for that a job may send before its child is stopped
MAX_IGNORED = 10_000
#: seconds the zygote may take to start (it imports Keras; slow on a loaded machine)
ZYGOTE_START_SECONDS = 300

@dataclass
class Job:
    """One submission to run: its cells, the practices to collect, where it may write."""

    key: str
    cells: list
    practices: list
    #: per practice, what the submission's child may see (``Practice.submission_context``)
    contexts: dict
    #: the job's own folder: the child's workdir and log go inside
    folder: str
    #: the reference answers, which may come from this package
    trusted: bool = False
    #: extra trees the child may read (hidden data copies)
    read_only: tuple = ()
    #: filled in by the pool: practice name -> {"data": ...} or {"reason": ...}
    outcomes: dict = field(default_factory=dict)
    #: a reason that concerns the whole submission (none of its code could run)
    error: str | None = None
    #: one line per cell of the submission that failed while it ran, and the pool's own notes
    notes: list = field(default_factory=list)
    #: practices whose evidence was examined in a trusted child
    examined: set = field(default_factory=set)
    attempts: int = 0
    stalls: int = 0
    ignored: int = 0

    @property
    def workdir(self) -> str:
        return os.path.join(self.folder, "work")

    @property
    def log_path(self) -> str:
        return os.path.join(self.folder, "output.log")


@dataclass(kw_only=True)
class _Child:
    """A child that ``_Children`` forks and collects; its pid and descriptors are set when it starts."""

    #: the slot it runs in (its uid and cgroup); None for a child forked directly
    slot: _Slot | None = None
    #: the zygote that forked it and reaps it; None when this process does both
    zygote: _Zygote | None = None
    pid: int = 0
    reader: int = -1
    pidfd: int = -1
    deadline: float = 0.0
    #: why the grader stopped it, if it did
    killed_for: str | None = None
    #: its wait status once reaped (None: not known)
    status: int | None = None

    def kill(self, reason: str) -> None:
        """Stops the child with everything it started; the first reason given is the one kept."""
        self.killed_for = self.killed_for or reason
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.slot is not None:
            self.slot.cgroup.kill()
        if self.zygote is None:  # forked here, in a session of its own: its whole process group
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def reap(self) -> int | None:
        """Its exit status, once it has ended (the zygote's word for a child the zygote forked)."""
        if self.zygote is not None:
            return self.zygote.status_of(self.pid)
        return os.waitpid(self.pid, 0)[1]


@dataclass(kw_only=True)
class _Task(_Child):
    kind: str  # "student" or "examine"
    job: Job
    practices: list
    buffer: bytes = b""
    received: int = 0
    current: str | None = None
    loaded: bool = False
    progress: int = 0
    #: messages of this child that the grader ignored
    junk: int = 0


@dataclass
class _Slot:
    index: int
    uid: int | None
    cgroup: object


class Runner:
    """Runs jobs in sandboxed children forked by a zygote; at most ``parallel`` at a time.

    ``practices`` are all the practices jobs may ask for (the zygote knows
    them by name). Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, practices: list, parallel: int = 1, timeout: float = 60.0, memory_mb: int = 4096):
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.registry = {p.name: p for p in practices}
        self._locks = []
        self.slots = [self._slot(i) for i in range(max(1, parallel))]
        self.zygote = _Zygote(self.registry, self.slots, memory_mb)

    def _slot(self, index: int) -> _Slot:
        uid = None
        if os.geteuid() == 0:
            uid, lock = sandbox.claim_uid()
            self._locks.append(lock)
        name = f"{os.getpid()}-{index}"
        return _Slot(index, uid, sandbox.Cgroup(name, self.memory_mb))

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.zygote.close()
        for slot in self.slots:
            slot.cgroup.remove()
        for lock in self._locks:
            os.close(lock)
        self._locks = []

    def run(self, jobs: list[Job]):
        """Runs every job; yields each job when it is finished, in the order they finish."""
        pending = deque(jobs)
        free = list(self.slots)
        with _Children(self._take, self.timeout, self._late, self.zygote, self.memory_mb) as self._children:
            yield from self._start(pending, free)
            for task in self._children.collect():
                if self._after(task) is None:  # else the job's next child now runs in the same slot
                    free.append(task.slot)
                    yield task.job
                    yield from self._start(pending, free)

    def _late(self) -> str:
        return _("it did not finish within {seconds} s").format(seconds=f"{self.timeout:g}")

    # -- starting children ------------------------------------------------

    def _start(self, pending: deque, free: list):
        """Starts pending jobs in the free slots; yields the jobs that need no child."""
        while pending and free:
            job, slot = pending.popleft(), free.pop()
            if self._next_task(job, slot) is None:
                free.append(slot)
                yield job

    def _next_task(self, job: Job, slot: _Slot) -> _Task | None:
        """The job's next child, or None when the job is finished."""
        todo = [p for p in job.practices if p.name not in job.outcomes]
        if job.error is None and todo:
            return self._spawn("student", job, todo, slot)
        to_examine = [
            p for p in job.practices
            if p.examines_in_child and "data" in job.outcomes.get(p.name, {}) and p.name not in job.examined
        ]
        if job.error is None and to_examine:
            return self._spawn("examine", job, to_examine, slot)
        if job.ignored:
            job.notes.append(
                _("The grader ignored {count} message(s) on its channel that did not come from its own checks.").format(
                    count=job.ignored)
            )
            job.ignored = 0
        return None

    def _spawn(self, kind: str, job: Job, practices: list, slot: _Slot) -> _Task:
        slot.cgroup.reset()
        workdir = job.workdir if kind == "student" else os.path.join(job.folder, "examine")
        os.makedirs(workdir, exist_ok=True)
        os.chmod(job.folder, 0o711)
        if slot.uid is not None:
            # the child mounts a fresh tmpfs here (root only), so this folder itself stays empty
            os.chown(workdir, slot.uid, slot.uid)
        os.chmod(workdir, 0o700)
        request = {
            "kind": kind,
            "slot": slot.index,
            "workdir": workdir,
            "log": job.log_path,
            "read_only": list(job.read_only) if kind == "student" else [],
            "practices": [p.name for p in practices],
            "trusted": job.trusted,
        }
        if kind == "student":
            request["cells"] = job.cells
            request["contexts"] = {p.name: job.contexts.get(p.name, {}) for p in practices}
        else:
            request["evidence"] = {p.name: job.outcomes[p.name]["data"] for p in practices}
        task = self._children.spawn(_Task(kind=kind, job=job, practices=practices, slot=slot), request, job.folder)
        if kind == "student":
            job.attempts += 1
        return task

    # -- reading what children send ---------------------------------------

    def _take(self, task: _Task, chunk: bytes) -> None:
        """Adds a chunk from the child's pipe; applies the complete lines; enforces the size caps."""
        task.received += len(chunk)
        if task.received > MAX_TASK_BYTES:
            task.kill(_("it sent more than {mb} MB to the grader").format(mb=MAX_TASK_BYTES // 2**20))
            return
        task.buffer += chunk
        *lines, task.buffer = task.buffer.split(b"\n")
        if len(task.buffer) > MAX_EVENT_BYTES:
            task.kill(_("it sent a message longer than {mb} MB to the grader").format(
                mb=MAX_EVENT_BYTES // 2**20))
            task.buffer = b""
        for line in lines:
            if task.junk > MAX_IGNORED:  # parsing junk must not keep the grader busy
                task.kill(_("it sent more than {count} messages the grader did not ask for").format(
                    count=f"{MAX_IGNORED:,}"))
                task.buffer = b""
                return
            ignored = task.job.ignored
            self._event(task, line)
            task.junk += task.job.ignored - ignored

    def _event(self, task: _Task, line: bytes) -> None:
        """Applies one event if it has the expected shape and comes in order; else ignores and counts it."""
        job = task.job
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):
            event = None
        kind = event.get("event") if isinstance(event, dict) else None
        names = {p.name: p for p in task.practices}
        name = event.get("practice") if isinstance(event, dict) else None
        practice = names.get(name) if isinstance(name, str) else None
        open_practice = practice is not None and practice.name not in job.outcomes
        if task.kind == "student":
            if kind == "loaded" and not task.loaded and isinstance(event.get("notes"), list):
                task.loaded = True
                job.notes = [n[:MAX_TEXT] for n in event["notes"][:50] if isinstance(n, str)]
                return
            if kind == "load_failed" and not task.loaded and isinstance(event.get("reason"), str):
                task.loaded = True
                if job.outcomes:  # a retry that could not start: what earlier children checked stands
                    for practice in task.practices:
                        job.outcomes.setdefault(practice.name, {"reason": event["reason"][:MAX_TEXT]})
                else:
                    job.error = event["reason"][:MAX_TEXT]
                return
            if task.loaded and open_practice:
                if kind == "start":
                    task.current = practice.name
                    return
                if kind == "result" and "data" in event:
                    try:
                        job.outcomes[practice.name] = {"data": practice.validate(event["data"])}
                    except Exception as exc:  # evidence of any shape costs this practice only
                        reason = _("the grader could not read {function}()'s answer ({error})").format(
                            function=practice.function, error=str(exc)[:200])
                        job.outcomes[practice.name] = {"reason": reason}
                    task.current, task.progress = None, task.progress + 1
                    return
                if kind == "failed" and isinstance(event.get("reason"), str):
                    job.outcomes[practice.name] = {"reason": event["reason"][:MAX_TEXT]}
                    task.current, task.progress = None, task.progress + 1
                    return
            job.ignored += 1
            return
        # an examine child never ran student code; its events are the grader's own
        if practice is not None and practice.name not in job.examined:
            if kind == "examined" and isinstance(event.get("data"), dict):
                job.outcomes[practice.name] = {"data": event["data"]}
                job.examined.add(practice.name)
            elif kind == "refused" and isinstance(event.get("reason"), str):
                job.outcomes[practice.name] = {"reason": event["reason"]}
                job.examined.add(practice.name)

    # -- what follows a child's end ---------------------------------------

    def _after(self, task: _Task) -> _Task | None:
        """Records how the child ended; returns the job's next child in the same slot, or None."""
        job = task.job
        cause = task.killed_for or _exit_cause(task.status)
        if task.kind == "examine":
            # The child examines in order: only the practice it was on pays; the ones it had not
            # reached are examined again in a fresh child (each turn settles one practice at least).
            pending = [p for p in task.practices if p.name not in job.examined]
            if pending:
                practice = pending[0]
                reason = _("{function}(): the grader could not rebuild your answer ({cause})").format(
                    function=practice.function, cause=cause)
                job.outcomes[practice.name] = {"reason": reason}
                job.examined.add(practice.name)
        elif job.error is None:
            if task.current is not None:
                practice = next(p for p in task.practices if p.name == task.current)
                job.outcomes[practice.name] = {"reason": _("{function}() was stopped: {cause}").format(
                    function=practice.function, cause=cause)}
                task.progress += 1
            elif not task.loaded:
                if job.outcomes:  # a retry died before reporting: what earlier children checked stands
                    for practice in task.practices:
                        job.outcomes.setdefault(practice.name, {"reason": _not_reached(practice, cause)})
                elif task.killed_for is not None or job.attempts >= 2:
                    job.error = _("your code was stopped before any answer was checked: {cause}").format(cause=cause)
            remaining = [p for p in task.practices if p.name not in job.outcomes]
            if remaining and job.error is None and task.loaded and not task.progress:
                job.stalls += 1
                if job.stalls >= 2:
                    for practice in remaining:
                        job.outcomes[practice.name] = {"reason": _not_reached(practice, cause)}
        return self._next_task(job, task.slot)


class _Children:
    """The one place where the grader forks children and collects them.

    A child is forked through the zygote (:meth:`spawn`) or directly from this
    process (:meth:`fork`). :meth:`collect` reads every child's pipe and hands
    each chunk to ``take``, stops a child that runs past its deadline
    (``late()`` says why) or, with no cgroup to hold it, over ``memory_mb``,
    and yields each child once it has ended: reaped, what it left in its pipe
    read, its descriptors closed. Children started while it runs are collected
    too. Used as a context manager, which kills and reaps whatever still runs.
    """

    def __init__(self, take: Callable[[_Child, bytes], None], timeout: float, late: Callable[[], str],
                 zygote: _Zygote | None = None, memory_mb: int | None = None):
        self.take, self.timeout, self.late = take, timeout, late
        self.zygote, self.memory_mb = zygote, memory_mb
        self.running: dict[int, _Child] = {}  # by pidfd
        self.selector = selectors.DefaultSelector()

    def __enter__(self) -> "_Children":
        return self

    def __exit__(self, *exc) -> None:
        try:
            for child in list(self.running.values()):
                child.kill(_("grading was interrupted"))
                self._end(child)
        finally:
            self.selector.close()

    def spawn(self, child: _Child, request: dict, folder: str) -> _Child:
        """Has the zygote fork ``child`` to run ``request`` in its sandbox (the request file goes in ``folder``)."""
        child.pid, child.reader, child.pidfd = self.zygote.spawn(request, folder)
        child.zygote = self.zygote
        return self._add(child)

    def fork(self, child: _Child, main: Callable[[int], None]) -> _Child:
        """Forks ``child`` from this process: in a session of its own, it runs ``main(writer)``, then exits."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                os.close(reader)
                self._close_in_child()
                os.setsid()
                main(writer)
            except BaseException:  # the child must always end here, never return into the grader
                status = 70
            finally:
                os._exit(status)
        os.close(writer)
        child.pid, child.reader = pid, reader
        try:
            child.pidfd = os.pidfd_open(pid)
        except OSError:
            os.close(reader)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        return self._add(child)

    def _close_in_child(self) -> None:
        """In a child just forked: lets go of the descriptors this collector holds."""
        self.selector.close()
        for other in self.running.values():
            os.close(other.reader)
            os.close(other.pidfd)

    def _add(self, child: _Child) -> _Child:
        os.set_blocking(child.reader, False)
        child.deadline = time.monotonic() + self.timeout
        self.running[child.pidfd] = child
        self.selector.register(child.reader, selectors.EVENT_READ, child)
        self.selector.register(child.pidfd, selectors.EVENT_READ, child)
        return child

    def collect(self) -> Iterator[_Child]:
        """The loop: yields each child once it has ended, until none runs."""
        while self.running:
            for key, _mask in self.selector.select(POLL_SECONDS):
                child = key.data
                if self.running.get(child.pidfd) is not child:  # ended earlier in this round
                    continue
                if key.fd == child.reader:
                    self._read(child)
                else:
                    self._end(child)
                    yield child
            self._watch()

    def _read(self, child: _Child) -> None:
        try:
            chunk = os.read(child.reader, 65536)
        except BlockingIOError:
            return
        if chunk:
            self.take(child, chunk)
        else:  # the child closed its end; it is still watched through its pidfd
            self.selector.unregister(child.reader)

    def _watch(self) -> None:
        now = time.monotonic()
        for child in list(self.running.values()):
            if child.killed_for:
                continue
            if now > child.deadline:
                child.kill(self.late())
            elif child.slot is not None and not child.slot.cgroup.active and _rss_mb(child.pid) > self.memory_mb:
                child.kill(self._memory_reason())

    def _end(self, child: _Child) -> None:
        """Reaps the child, reads what is left in its pipe without waiting for an orphan, lets go of it."""
        child.status = child.reap()
        while True:
            try:
                chunk = os.read(child.reader, 65536)
            except OSError:  # BlockingIOError included: an orphan may still hold the pipe open
                break
            if not chunk:
                break
            self.take(child, chunk)
        if child.slot is not None:
            child.slot.cgroup.kill()
            if child.slot.cgroup.memory_exceeded() and not child.killed_for:
                child.killed_for = self._memory_reason()
        for fd in (child.reader, child.pidfd):
            try:
                self.selector.unregister(fd)
            except (KeyError, ValueError):
                pass
            os.close(fd)
        del self.running[child.pidfd]

    def _memory_reason(self) -> str:
        return _("it used more than {mb} MB of memory").format(mb=f"{self.memory_mb:,}")


class _Zygote:
    """The process that forks every child; it never runs student code or holds results.

    Requests go over a SEQPACKET socket (the request itself in a file in the
    job's folder); for each child the zygote sends back its pid with the read
    end of its event pipe and a pidfd, and later its exit status.
    """

    def __init__(self, registry: dict, slots: list, memory_mb: int):
        self.statuses: dict[int, int] = {}
        self._count = 0
        self._started = False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # A new program, not a fork of this one: it holds nothing of the grader (no paths, no
        # reference answers, no results), and -I keeps the working directory off its sys.path.
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "graders.run.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd="/",
            # the children only gather evidence: a notebook's own grade cells and self-checks do nothing there
            env={**os.environ, GRADED_ELSEWHERE_ENV: "1"},
        )
        theirs.close()
        config = {
            "practices": {name: practice.recipe() for name, practice in registry.items()},
            "slots": [{"uid": slot.uid, "cgroup": slot.cgroup.name} for slot in slots],
            "memory_mb": memory_mb,
        }
        ours.send(json.dumps(config).encode())
        self.pid, self.sock = self.process.pid, ours

    def spawn(self, request: dict, folder: str) -> tuple[int, int, int]:
        self._count += 1
        path = os.path.join(folder, f"request-{self._count}.json")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(request, out)
        self.sock.send(json.dumps({"id": self._count, "request": path}).encode())
        try:
            while True:
                # the first answer waits for the zygote to import Keras
                message, fds = self._receive(timeout=60 if self._started else ZYGOTE_START_SECONDS)
                if message.get("spawned") == self._count and len(fds) == 2:
                    self._started = True
                    return message["pid"], fds[0], fds[1]
                for fd in fds:
                    os.close(fd)
                if message.get("failed") == self._count:
                    raise RuntimeError(f"the grader could not start a child: {message.get('reason')}")
        finally:
            os.unlink(path)

    def status_of(self, pid: int, wait: float = 2.0) -> int | None:
        """The exit status of a child the zygote has reaped (waiting briefly for it)."""
        deadline = time.monotonic() + wait
        while pid not in self.statuses and time.monotonic() < deadline:
            try:
                message, fds = self._receive(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                break
            for fd in fds:
                os.close(fd)
        return self.statuses.pop(pid, None)

    def _receive(self, timeout: float) -> tuple[dict, list]:
        if not select.select([self.sock], [], [], timeout)[0]:
            raise TimeoutError("the grader's fork server did not answer")
        data, fds, _, _ = socket.recv_fds(self.sock, 65536, 2)
        if not data:
            raise RuntimeError("the grader's fork server stopped")
        message = json.loads(data)
        if "exited" in message:
            self.statuses[message["exited"]] = message["status"]
        return message, fds

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def zygote_main(fd: int) -> None:
    """The zygote program (``python -I -m graders.run.zygote FD``): warm up, then fork on request."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=fd)
    config = json.loads(sock.recv(65536))
    _warm_up()
    registry = {name: _practice(spec) for name, spec in config["practices"].items()}
    memory_mb = config["memory_mb"]
    slots = [_Slot(index, slot["uid"], sandbox.Cgroup(slot["cgroup"], memory_mb))
             for index, slot in enumerate(config["slots"])]
    _zygote_loop(sock, registry, slots, memory_mb)


def _practice(recipe: dict):
    """A practice made again in the zygote from its recipe (see ``Practice.recipe``): ``{"factory":
    "module:callable", "kwargs": {...}}``. The runner imports no practice module itself: the
    practices use the runner, never the reverse."""
    module, _sep, name = recipe["factory"].partition(":")
    return getattr(importlib.import_module(module), name)(**recipe.get("kwargs", {}))


def _zygote_loop(sock: socket.socket, registry: dict, slots: list, memory_mb: int) -> None:
    # the address space the warm process already maps, on top of which a child may use memory_mb
    base_mb = _vm_size_mb()
    children: dict[int, int] = {}  # pidfd -> pid, so that an exit wakes the loop at once
    try:
        while True:
            ready = select.select([sock, *children], [], [], 1.0)[0]
            for pidfd in (fd for fd in ready if fd in children):
                pid = children.pop(pidfd)
                os.close(pidfd)
                _, status = os.waitpid(pid, 0)
                sock.send(json.dumps({"exited": pid, "status": status}).encode())
            if sock not in ready:
                continue
            data = sock.recv(65536)
            if not data:
                return
            message = json.loads(data)
            try:
                with open(message["request"]) as handle:
                    request = json.load(handle)
                reader, writer = os.pipe()
            except (OSError, ValueError) as exc:
                sock.send(json.dumps({"failed": message["id"], "reason": str(exc)}).encode())
                continue
            pid = os.fork()
            if pid == 0:
                os.close(reader)
                _child_main(request, writer, registry, slots[request["slot"]], base_mb + memory_mb)
            os.close(writer)
            pidfd = os.pidfd_open(pid)
            children[pidfd] = pid
            socket.send_fds(sock, [json.dumps({"spawned": message["id"], "pid": pid}).encode()], [reader, pidfd])
            os.close(reader)
    finally:
        for pidfd, pid in children.items():
            try:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _child_main(request: dict, writer: int, registry: dict, slot: _Slot, address_space_mb: int) -> None:
    """A child: output to its log, into the sandbox, then the submission or the examination. Never returns."""
    status = 0
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        policy = sandbox.Policy(
            workdir=request["workdir"],
            read_only=tuple(request["read_only"]),
            uid=slot.uid,
            memory_mb=address_space_mb,
            file_mb=LOG_MB,
            keep_fds=(writer,),
            disk_mb=DISK_MB,
        )
        try:
            sandbox.enter(policy, slot.cgroup)  # also: this child dies with the zygote
        except sandbox.SandboxError as exc:
            reason = _("the grader could not start its sandbox: {error}").format(error=exc)
            os.write(writer, (json.dumps({"event": "load_failed", "reason": reason}) + "\n").encode())
            raise
        practices = [registry[name] for name in request["practices"]]
        if request["kind"] == "student":
            run_child(request["cells"], practices, request["contexts"], writer, request["trusted"])
        else:
            run_examine(practices, request["evidence"], writer)
    except BaseException:  # the child must always end here, never return into the zygote's loop
        status = 70
    finally:
        os._exit(status)


def _die_with_parent() -> None:
    """SIGKILL this process when its parent ends (set after any uid change, which clears it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _warm_up() -> None:
    """Imports what children need before the zygote forks them, once."""
    import keras  # noqa: F401  (the point: children inherit the imported module)

    import graders.describe  # noqa: F401
    import graders.run.rebuild  # noqa: F401


def _exit_cause(status: int | None) -> str:
    if status is None:
        return _("the process ended")
    if os.WIFSIGNALED(status):
        return _("the process was killed by signal {signal}").format(signal=signal.Signals(os.WTERMSIG(status)).name)
    return _("the process exited early with code {code}").format(code=os.WEXITSTATUS(status))


def _not_reached(practice, cause: str) -> str:
    return _("{function}() was not reached: {cause}").format(function=practice.function, cause=cause)


def _rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except Exception:  # the process is gone, or psutil cannot see it
        return 0.0


def _vm_size_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    return 0


def call_in_child(function, timeout: float = 120.0):
    """Runs ``function()`` in a forked child and returns its JSON-able result.

    For the grader's own work that needs TensorFlow ops (making hidden
    checkpoint directories) without running them in the grading process,
    which must stay fork-safe. No student code runs there.

    Raises:
        RuntimeError: the child failed, died or timed out; the message says how.
    """
    _warm_up()
    chunks = []

    def main(writer: int) -> None:
        try:
            payload = {"result": function()}
        except BaseException as exc:
            payload = {"error": f"{type(exc).__name__}: {exc}"}
        with os.fdopen(writer, "w") as out:
            json.dump(payload, out)

    def take(_child: _Child, chunk: bytes) -> None:
        chunks.append(chunk)

    with _Children(take, timeout, lambda: f"did not finish within {timeout:g} s") as children:
        children.fork(_Child(), main)
        (child,) = children.collect()
    if child.killed_for:
        raise RuntimeError(child.killed_for)
    try:
        payload = json.loads(b"".join(chunks))
    except json.JSONDecodeError:
        raise RuntimeError("the process ended without a result") from None
    if "error" in payload:
        raise RuntimeError(payload["error"])
    return payload["result"]
