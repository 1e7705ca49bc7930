"""The side of the runner that lives in the grading process: forks, watches, collects.

Every child is forked by a *zygote*: a process forked from the grading process
right after Keras was imported, before any submission was read or scored. So a
child starts warm (no multi-second import) yet its memory holds no other
student's result, and never a reference answer. Each child enters the sandbox
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
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import pwd
import select
import selectors
import signal
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from graders.run import sandbox
from graders.run.child import run_child, run_examine

#: how often running children are checked, seconds
POLL_SECONDS = 0.1
#: one event line, and all a child may send, at most
MAX_EVENT_BYTES = 8 * 2**20
MAX_TASK_BYTES = 32 * 2**20
#: what a child may write to its output log (and to any file)
LOG_MB = 64
#: text fields of events are cut to this length
MAX_TEXT = 500
#: unprivileged uids for the sandboxed children when the grader runs as root
FIRST_UID, LAST_UID = 60001, 64999
UID_LOCKS = Path("/run/graders-uids")


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


@dataclass
class _Task:
    kind: str  # "student" or "examine"
    job: Job
    practices: list
    slot: "_Slot"
    pid: int
    reader: int
    pidfd: int
    deadline: float
    buffer: bytes = b""
    received: int = 0
    current: str | None = None
    loaded: bool = False
    killed_for: str | None = None
    status: int | None = None
    progress: int = 0


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
        _warm_up()
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.registry = {p.name: p for p in practices}
        self._locks = []
        self.slots = [self._slot(i) for i in range(max(1, parallel))]
        self.zygote = _Zygote(self.registry, self.slots, memory_mb)

    def _slot(self, index: int) -> _Slot:
        uid = self._claim_uid() if os.geteuid() == 0 else None
        name = f"{os.getpid()}-{index}"
        return _Slot(index, uid, sandbox.Cgroup(name, self.memory_mb))

    def _claim_uid(self) -> int:
        """An unused uid, held with a lock file so that concurrent graders never share one."""
        UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
        for uid in range(FIRST_UID, LAST_UID):
            try:
                pwd.getpwuid(uid)
                continue
            except KeyError:
                pass
            lock = os.open(UID_LOCKS / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(lock)
                continue
            self._locks.append(lock)
            return uid
        raise RuntimeError("no unused uid is left for the sandbox")

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
        tasks: dict[int, _Task] = {}
        selector = self._selector = selectors.DefaultSelector()
        try:
            while pending or tasks:
                while pending and free:
                    job = pending.popleft()
                    task = self._next_task(job, free.pop())
                    if task is None:
                        yield job
                        continue
                    tasks[task.pidfd] = task
                    selector.register(task.reader, selectors.EVENT_READ, task)
                    selector.register(task.pidfd, selectors.EVENT_READ, task)
                for key, _ in selector.select(POLL_SECONDS):
                    task = key.data
                    if tasks.get(task.pidfd) is not task:  # ended earlier in this round
                        continue
                    if key.fd == task.reader:
                        self._read(task)
                    else:
                        task.status = self.zygote.status_of(task.pid)
                        self._end(task, tasks)
                        following = self._after(task)
                        if following is None:
                            free.append(task.slot)
                            yield task.job
                        else:
                            tasks[following.pidfd] = following
                            selector.register(following.reader, selectors.EVENT_READ, following)
                            selector.register(following.pidfd, selectors.EVENT_READ, following)
                self._watch(tasks.values())
        finally:
            for task in list(tasks.values()):
                self._kill(task, "grading was interrupted")
                task.status = self.zygote.status_of(task.pid)
                self._end(task, tasks)
            selector.close()

    # -- starting children ------------------------------------------------

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
                f"The grader ignored {job.ignored} message(s) on its channel that did not come from its own checks."
            )
            job.ignored = 0
        return None

    def _spawn(self, kind: str, job: Job, practices: list, slot: _Slot) -> _Task:
        slot.cgroup.reset()
        workdir = job.workdir if kind == "student" else os.path.join(job.folder, "examine")
        os.makedirs(workdir, exist_ok=True)
        os.chmod(job.folder, 0o711)
        if slot.uid is not None:
            _chown_tree(workdir, slot.uid)
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
        pid, reader, pidfd = self.zygote.spawn(request, job.folder)
        os.set_blocking(reader, False)
        if kind == "student":
            job.attempts += 1
        return _Task(kind, job, practices, slot, pid, reader, pidfd, time.monotonic() + self.timeout)

    # -- reading what children send ---------------------------------------

    def _read(self, task: _Task) -> None:
        try:
            chunk = os.read(task.reader, 65536)
        except BlockingIOError:
            return
        if chunk:
            self._take(task, chunk)
        else:  # the child closed its end; it is still watched through its pidfd
            self._selector.unregister(task.reader)

    def _take(self, task: _Task, chunk: bytes) -> None:
        """Adds a chunk from the child's pipe; applies the complete lines; enforces the size caps."""
        task.received += len(chunk)
        if task.received > MAX_TASK_BYTES:
            self._kill(task, f"it sent more than {MAX_TASK_BYTES // 2**20} MB to the grader")
            return
        task.buffer += chunk
        *lines, task.buffer = task.buffer.split(b"\n")
        if len(task.buffer) > MAX_EVENT_BYTES:
            self._kill(task, f"it sent a message longer than {MAX_EVENT_BYTES // 2**20} MB to the grader")
            task.buffer = b""
        for line in lines:
            self._event(task, line)

    def _event(self, task: _Task, line: bytes) -> None:
        """Applies one event if it has the expected shape and comes in order; else ignores and counts it."""
        job = task.job
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):
            event = None
        kind = event.get("event") if isinstance(event, dict) else None
        names = {p.name: p for p in task.practices}
        practice = names.get(event.get("practice")) if isinstance(event, dict) else None
        open_practice = practice is not None and practice.name not in job.outcomes
        if task.kind == "student":
            if kind == "loaded" and not task.loaded and isinstance(event.get("notes"), list):
                task.loaded = True
                job.notes = [n[:MAX_TEXT] for n in event["notes"][:50] if isinstance(n, str)]
                return
            if kind == "load_failed" and not task.loaded and isinstance(event.get("reason"), str):
                task.loaded = True
                job.error = event["reason"][:MAX_TEXT]
                return
            if task.loaded and open_practice:
                if kind == "start":
                    task.current = practice.name
                    return
                if kind == "result" and "data" in event:
                    try:
                        job.outcomes[practice.name] = {"data": practice.validate(event["data"])}
                    except (ValueError, TypeError, KeyError, AttributeError) as exc:
                        job.outcomes[practice.name] = {"reason": f"the grader could not read {practice.function}()'s answer ({exc})"}
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

    # -- watching and ending children -------------------------------------

    def _watch(self, tasks) -> None:
        now = time.monotonic()
        for task in tasks:
            if task.killed_for:
                continue
            if now > task.deadline:
                self._kill(task, f"it did not finish within {self.timeout:g} s")
            elif not task.slot.cgroup.active and _rss_mb(task.pid) > self.memory_mb:
                self._kill(task, f"it used more than {self.memory_mb:,} MB of memory")

    def _kill(self, task: _Task, reason: str) -> None:
        task.killed_for = task.killed_for or reason
        try:
            signal.pidfd_send_signal(task.pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass
        task.slot.cgroup.kill()

    def _end(self, task: _Task, tasks: dict) -> None:
        """Reads what is left in the pipe without waiting for an orphan, then lets go of the child."""
        while True:
            try:
                chunk = os.read(task.reader, 65536)
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            self._take(task, chunk)
        task.slot.cgroup.kill()
        if task.slot.cgroup.memory_exceeded() and not task.killed_for:
            task.killed_for = f"it used more than {self.memory_mb:,} MB of memory"
        for fd in (task.reader, task.pidfd):
            try:
                self._selector.unregister(fd)
            except (KeyError, ValueError):
                pass
            os.close(fd)
        tasks.pop(task.pidfd, None)

    def _after(self, task: _Task) -> _Task | None:
        """Records how the child ended; returns the job's next child in the same slot, or None."""
        job = task.job
        cause = task.killed_for or _exit_cause(task.status)
        if task.kind == "examine":
            for practice in task.practices:
                if practice.name not in job.examined:
                    job.outcomes[practice.name] = {"reason": f"{practice.function}(): the grader could not rebuild your model ({cause})"}
                    job.examined.add(practice.name)
        elif job.error is None:
            if task.current is not None:
                practice = next(p for p in task.practices if p.name == task.current)
                job.outcomes[practice.name] = {"reason": f"{practice.function}() was stopped: {cause}"}
                task.progress += 1
            elif not task.loaded:
                if task.killed_for is not None or job.attempts >= 2:
                    job.error = f"your code was stopped before any answer was checked: {cause}"
            remaining = [p for p in task.practices if p.name not in job.outcomes]
            if remaining and job.error is None and task.loaded and not task.progress:
                job.stalls += 1
                if job.stalls >= 2:
                    for practice in remaining:
                        job.outcomes[practice.name] = {"reason": f"{practice.function}() was not reached: {cause}"}
        return self._next_task(job, task.slot)


class _Zygote:
    """The process that forks every child; it never runs student code or holds results.

    Requests go over a SEQPACKET socket (the request itself in a file in the
    job's folder); for each child the zygote sends back its pid with the read
    end of its event pipe and a pidfd, and later its exit status.
    """

    def __init__(self, registry: dict, slots: list, memory_mb: int):
        self.statuses: dict[int, int] = {}
        self._count = 0
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                ours.close()
                _zygote_loop(theirs, registry, slots, memory_mb)
            except BaseException:
                status = 70
            finally:
                os._exit(status)
        theirs.close()
        self.pid, self.sock = pid, ours

    def spawn(self, request: dict, folder: str) -> tuple[int, int, int]:
        self._count += 1
        path = os.path.join(folder, f"request-{self._count}.json")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(request, out)
        self.sock.send(json.dumps({"id": self._count, "request": path}).encode())
        try:
            while True:
                message, fds = self._receive(timeout=60)
                if message.get("spawned") == self._count and len(fds) == 2:
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
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass


def _zygote_loop(sock: socket.socket, registry: dict, slots: list, memory_mb: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
        )
        try:
            sandbox.enter(policy, slot.cgroup)  # also: this child dies with the zygote
        except sandbox.SandboxError as exc:
            os.write(writer, (json.dumps({"event": "load_failed", "reason": f"the grader could not start its sandbox: {exc}"}) + "\n").encode())
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
    """Imports what children need before the zygote is forked, once."""
    import keras  # noqa: F401  (the point: children inherit the imported module)

    import graders.describe  # noqa: F401
    import graders.run.rebuild  # noqa: F401


def _exit_cause(status: int | None) -> str:
    if status is None:
        return "the process ended"
    if os.WIFSIGNALED(status):
        return f"the process was killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"the process exited early with code {os.WEXITSTATUS(status)}"


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


def _chown_tree(path: str, uid: int) -> None:
    for root, dirs, files in os.walk(path):
        os.chown(root, uid, uid)
        for name in files + dirs:
            os.lchown(os.path.join(root, name), uid, uid)


def remove_tree(path: str | os.PathLike) -> None:
    """Deletes a job's or session's folder, read-only copies included; never raises."""
    import shutil

    def writable_then_retry(function, failed, _):
        try:
            os.chmod(os.path.dirname(failed), 0o700)
            function(failed)
        except OSError:
            pass

    shutil.rmtree(path, onerror=writable_then_retry)


def call_in_child(function, timeout: float = 120.0):
    """Runs ``function()`` in a forked child and returns its JSON-able result.

    For the grader's own work that needs TensorFlow ops (making hidden
    checkpoint directories) without running them in the grading process,
    which must stay fork-safe. No student code runs there.

    Raises:
        RuntimeError: the child failed, died or timed out; the message says how.
    """
    _warm_up()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            os.close(reader)
            os.setsid()
            try:
                payload = {"result": function()}
            except BaseException as exc:
                payload = {"error": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(writer, "w") as out:
                json.dump(payload, out)
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(writer)
    deadline = time.monotonic() + timeout
    chunks = []
    selector = selectors.DefaultSelector()
    selector.register(reader, selectors.EVENT_READ)
    try:
        while True:
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                raise RuntimeError(f"did not finish within {timeout:g} s")
            if selector.select(POLL_SECONDS):
                chunk = os.read(reader, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        selector.close()
        os.close(reader)
        os.waitpid(pid, 0)
    try:
        payload = json.loads(b"".join(chunks))
    except json.JSONDecodeError:
        raise RuntimeError("the process ended without a result") from None
    if "error" in payload:
        raise RuntimeError(payload["error"])
    return payload["result"]
