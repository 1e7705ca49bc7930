"""The sandbox of graders.run.sandbox: each test forks a child that enters it, tries something
and reports through a pipe; the parent asserts.

Modes: ``root`` drops to an unused uid inside enter() (all layers); ``user`` is an ordinary
user (when the tests run as root, the child becomes uid 60001 by itself first, after
making its Python and test folders reachable, then calls enter() with uid=None);
``root_no_uid`` stays root, so only the kernel layers (Landlock, seccomp) stand in the way.
``bare`` does not enter the sandbox (for tests of one layer alone).
Root-only tests skip when not root; as root with CI=true a missing layer fails instead.
"""

from __future__ import annotations

import errno
import json
import math
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest

from graders.run import sandbox

ROOT = os.geteuid() == 0
CI = os.environ.get("CI") == "true"
CAPS = sandbox.capabilities()
UID = 60001
REPO = Path(__file__).resolve().parent.parent
MB = 2**20
#: stdlib modules, one of which is surely not imported yet: the child imports it lazily
LAZY_MODULES = ("tabnanny", "wave", "sndhdr", "chunk", "xdrlib", "nntplib", "mailcap", "pipes")


def need(condition: bool, reason: str) -> None:
    """Skips unless ``condition``; as root with CI=true a missing layer is a failure."""
    if condition:
        return
    if CI and ROOT:
        pytest.fail(f"{reason} (CI=true as root: this must run)")
    pytest.skip(reason)


def need_mode(mode: str) -> None:
    if mode == "root" and not ROOT:
        pytest.skip(f"mode {mode!r} needs root")


class Child:
    """A forked child running ``body()`` inside the sandbox; ``result()`` collects its report."""

    def __init__(self, body, policy: sandbox.Policy, mode: str, cgroup=None, middle: bool = False):
        self.reader, writer = os.pipe()
        policy = sandbox.Policy(**{**policy.__dict__, "keep_fds": (*policy.keep_fds, writer)})
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.reader)
            if middle:  # a stand-in for the grader: the sandboxed child is its child
                os.setsid()
                if os.fork():
                    _, status = os.wait()
                    _send(writer, {"middle": "alive", "child_status": status})
                    os._exit(0)
            _run(body, policy, mode, cgroup, writer)
        os.close(writer)

    def result(self, timeout: float = 60) -> tuple[dict, int | None]:
        """Returns (the child's last message merged with the others, wait status or None on timeout)."""
        data = b""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.reader], [], [], left)[0]:
                chunk = os.read(self.reader, 65536)
                if not chunk:
                    break
                data += chunk
        else:
            for kill in (os.killpg, os.kill):
                try:
                    kill(self.pid, signal.SIGKILL)
                except OSError:
                    pass
        os.close(self.reader)
        _, status = os.waitpid(self.pid, 0)
        merged = {}
        for line in data.splitlines():
            merged.update(json.loads(line))
        assert "error" not in merged, merged["error"]
        return merged, (None if left <= 0 else status)


#: in a child: the policy it was started with, its result pipe among the kept descriptors
CHILD_POLICY: sandbox.Policy | None = None


def _run(body, policy, mode, cgroup, writer) -> None:
    global CHILD_POLICY
    CHILD_POLICY = policy
    try:
        if mode == "user" and ROOT:
            _become_ordinary_user(policy)
        report = sandbox.enter(policy, cgroup) if mode != "bare" else None
        payload = {"report": report, "result": body()}
    except BaseException:
        payload = {"error": traceback.format_exc()}
    try:
        _send(writer, payload)
    finally:
        os._exit(0)


def _become_ordinary_user(policy: sandbox.Policy) -> None:
    """Turns a root child into uid UID who can read its Python and owns its workdir."""
    sandbox._check(sandbox._libc.unshare(sandbox.CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    sandbox._mount(None, "/", None, sandbox.MS_REC | sandbox.MS_PRIVATE)
    sandbox.reveal((*sandbox.default_readable(), *policy.read_only, policy.workdir))
    for top, dirs, files in os.walk(policy.workdir):
        for name in (top, *(os.path.join(top, n) for n in dirs + files)):
            os.lchown(name, UID, UID)
    os.setgroups([])
    os.setresgid(UID, UID, UID)
    os.setresuid(UID, UID, UID)


def _effective_capabilities() -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("CapEff:")).split()[1], 16)


def _send(fd: int, payload: dict) -> None:
    data = (json.dumps(payload, default=str) + "\n").encode()
    while data:
        data = data[os.write(fd, data):]


def run(body, policy, mode="root", **kwargs) -> tuple[dict, dict, int | None]:
    """Runs ``body`` in a sandboxed child; returns (body's result, enter()'s report, wait status)."""
    need_mode(mode)
    message, status = Child(body, policy, mode, **kwargs).result()
    return message.get("result"), message.get("report"), status


def outcome(action) -> str:
    """``"ok"`` or the name of the exception ``action()`` raised, with its errno."""
    try:
        action()
    except OSError as exc:
        return f"{type(exc).__name__}:{errno.errorcode.get(exc.errno, exc.errno)}"
    except BaseException as exc:
        return type(exc).__name__
    return "ok"


def exited_normally(status) -> bool:
    return status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.fixture
def workdir(tmp_path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    path.chmod(0o755)
    (path / "submission.py").write_text("x = 1\n")
    return path


@pytest.fixture
def policy(workdir) -> sandbox.Policy:
    return sandbox.Policy(workdir=str(workdir), uid=UID)


def shared_tree(tmp_path: Path, name: str, files: dict) -> Path:
    """A folder readable by everyone (so only the sandbox can keep a child out)."""
    folder = tmp_path / name
    folder.mkdir()
    folder.chmod(0o755)
    for file, text in files.items():
        (folder / file).write_text(text)
        (folder / file).chmod(0o644)
    return folder


MODES = ["root", "user"]


# --- 1. descriptors -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_other_descriptors_are_closed_and_kept_ones_stay(policy, mode):
    sibling_read, sibling_write = os.pipe()  # another child's pipe, say
    keep_read, keep_write = os.pipe()
    try:
        def body():
            os.write(keep_write, b"kept")
            return {"sibling": [outcome(lambda fd=fd: os.fstat(fd)) for fd in (sibling_read, sibling_write)]}

        result, report, status = run(body, sandbox.Policy(**{**policy.__dict__, "keep_fds": (keep_write,)}), mode)
        assert result["sibling"] == ["OSError:EBADF", "OSError:EBADF"]
        assert os.read(keep_read, 10) == b"kept"
        assert report["fds"] is True
    finally:
        for fd in (sibling_read, sibling_write, keep_read, keep_write):
            os.close(fd)


# --- 2. writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_writes_only_inside_workdir(policy, workdir, tmp_path, mode):
    escape = Path(f"/tmp/sandbox-escape-{os.getpid()}")
    outside = tmp_path / "outside.txt"

    def body():
        Path("inside.txt").write_text("mine")
        return {
            "outside": outcome(lambda: outside.write_text("forged")),
            "tmp": outcome(lambda: escape.write_text("forged")),
            "dev_null": outcome(lambda: Path("/dev/null").write_text("x")),
            "tmpfile": outcome(lambda: __import__("tempfile").TemporaryFile().write(b"x")),
            "cwd": os.getcwd(),
            "home": os.environ["HOME"],
        }

    try:
        result, _, status = run(body, policy, mode)
        escaped = escape.exists()
    finally:
        escape.unlink(missing_ok=True)
    assert exited_normally(status)
    assert (workdir / "inside.txt").read_text() == "mine"
    assert result["outside"] != "ok" and not outside.exists()
    assert result["tmp"] != "ok" and not escaped
    assert result["dev_null"] == "ok" and result["tmpfile"] == "ok"
    assert result["cwd"] == result["home"] == str(workdir.resolve())


# --- 3. reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_reads_only_allowed_trees(policy, tmp_path, mode):
    lazy = next(m for m in LAZY_MODULES if m not in sys.modules)
    others = shared_tree(tmp_path, "other-student", {"results.json": '{"score": 30}'})
    data = shared_tree(tmp_path, "hidden-data", {"x.csv": "1,2,3\n"})
    reference = next(p for p in sorted((REPO / "reference").rglob("*.py")) if p.stat().st_size)
    policy = sandbox.Policy(**{**policy.__dict__, "read_only": (str(data),)})

    def body():
        __import__(lazy)
        return {
            "reference": outcome(lambda: reference.read_text()),
            "repo_listing": outcome(lambda: os.listdir(REPO)),
            "other_student": outcome(lambda: (others / "results.json").read_text()),
            "data": (data / "x.csv").read_text(),
            "lazy_import": lazy in sys.modules,
            "graders_source": outcome(lambda: Path(sandbox.__file__).read_text()),
        }

    result, _, _ = run(body, policy, mode)
    # As root what lies under /tmp is not even there (an empty tmpfs covers it): the grader's
    # temporary folders, and the repository itself when the checkout lives there.
    unreadable = ("PermissionError:EACCES", "FileNotFoundError:ENOENT")
    assert result["reference"] in unreadable
    assert result["repo_listing"] in unreadable
    assert result["other_student"] in unreadable
    assert result["data"] == "1,2,3\n"
    assert result["lazy_import"] is True
    assert result["graders_source"] == "ok"


# --- 4. network -----------------------------------------------------------------------------------


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def unix_listeners(tmp_path):
    """A unix socket file anyone may connect to, in a folder the child may read, and an abstract one."""
    folder = shared_tree(tmp_path, "sockets", {})
    servers = []
    for address in (str(folder / "service.sock"), f"\0graders-test-{os.getpid()}"):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
        if not address.startswith("\0"):
            os.chmod(address, 0o777)
        server.listen(4)
        server.setblocking(False)
        servers.append((address, server))
    yield folder, servers
    for _, server in servers:
        server.close()


@pytest.mark.parametrize("mode", MODES)
def test_no_network_but_unix_sockets(policy, listener, unix_listeners, mode):
    port = listener.getsockname()[1]
    folder, servers = unix_listeners
    policy = sandbox.Policy(**{**policy.__dict__, "read_only": (str(folder),)})

    def tcp():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(("127.0.0.1", port))

    def udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"x", ("127.0.0.1", port))

    def connect(address):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(address)

    def pair():
        a, b = socket.socketpair(socket.AF_UNIX)
        a.sendall(b"ping")
        assert b.recv(4) == b"ping"
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()

    def body():
        return {"tcp": outcome(tcp), "udp": outcome(udp), "ipv6": outcome(lambda: socket.socket(socket.AF_INET6)),
                "pair": outcome(pair), "unix": [outcome(lambda a=a: connect(a)) for a, _ in servers],
                "bind": outcome(lambda: socket.socket(socket.AF_UNIX).bind("kernel.sock"))}

    result, _, _ = run(body, policy, mode)
    assert result["tcp"].startswith("PermissionError")
    assert result["udp"].startswith("PermissionError")
    assert result["ipv6"].startswith("PermissionError")
    assert result["pair"] == "ok"
    assert result["unix"] == ["PermissionError:EPERM"] * 2
    assert result["bind"] == "PermissionError:EACCES"  # no socket files without unix_sockets
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody got through
    for _, server in servers:
        with pytest.raises(BlockingIOError):
            server.accept()


@pytest.mark.parametrize("mode", MODES)
def test_unix_sockets_in_workdir_when_allowed(policy, mode):
    policy = sandbox.Policy(**{**policy.__dict__, "unix_sockets": True})

    def body():
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind("kernel.sock")
        server.listen(1)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect("kernel.sock")
        connection, _ = server.accept()
        client.sendall(b"ping")
        return {"echo": connection.recv(4).decode(), "tcp": outcome(lambda: socket.socket(socket.AF_INET))}

    result, _, _ = run(body, policy, mode)
    assert result == {"echo": "ping", "tcp": "PermissionError:EPERM"}


def test_own_network_namespace_as_root(policy):
    need(ROOT, "network namespaces need root")

    def body():
        with open("/proc/net/dev") as dev:
            return sorted(line.split(":")[0].strip() for line in dev.readlines()[2:])

    result, report, _ = run(body, policy, "root")
    assert report["netns"] is True
    assert result == ["lo"]


# --- 5. signals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [*MODES, "root_no_uid"])
def test_signals_only_to_itself(policy, mode):
    if mode == "root_no_uid":
        policy = sandbox.Policy(**{**policy.__dict__, "uid": None})
        mode = "root"

    def body():
        got = []
        signal.signal(signal.SIGUSR1, lambda *_: got.append(1))
        parent = os.getppid()
        result = {
            "probe_parent": outcome(lambda: os.kill(parent, 0)),
            "stop_parent": outcome(lambda: os.kill(parent, signal.SIGSTOP)),
            "kill_parent": outcome(lambda: os.kill(parent, signal.SIGKILL)),
            "group": outcome(lambda: os.kill(0, signal.SIGKILL)),
            "killpg": outcome(lambda: os.killpg(os.getpgid(0), signal.SIGKILL)),
            "prlimit_parent": outcome(lambda: resource.prlimit(parent, resource.RLIMIT_NOFILE)),
            "renice_parent": outcome(lambda: os.setpriority(os.PRIO_PROCESS, parent, 19)),
            "renice_group": outcome(lambda: os.setpriority(os.PRIO_PGRP, 0, 19)),
            "pin_parent": outcome(lambda: os.sched_setaffinity(parent, {0})),
            "self": outcome(lambda: os.kill(os.getpid(), 0)),
            "own_limits": outcome(lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0))),
            "raise_limit": outcome(lambda: resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)),
            "capabilities": _effective_capabilities(),
            "thread": outcome(lambda: signal.pthread_kill(threading.get_ident(), 0)),
        }
        os.kill(os.getpid(), signal.SIGUSR1)
        result["handled"] = got == [1]
        return result

    need_mode(mode)
    message, status = Child(body, policy, mode, middle=True).result()
    assert message.get("middle") == "alive" and exited_normally(status), "the parent was stopped or killed"
    assert exited_normally(message["child_status"])
    result = message["result"]
    for attempt in ("probe_parent", "stop_parent", "kill_parent", "group", "killpg", "prlimit_parent",
                    "renice_parent", "renice_group", "pin_parent"):
        assert result[attempt] == "PermissionError:EPERM", attempt
    assert result["self"] == result["thread"] == result["own_limits"] == "ok"
    assert result["raise_limit"] == "ValueError"  # not above the hard limit, even for root
    assert result["capabilities"] == 0
    assert result["handled"] is True


# --- 6. processes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_no_processes_but_threads(policy, mode):
    def body():
        ran = []
        thread = threading.Thread(target=lambda: ran.append(sum(range(1000))))
        thread.start()
        thread.join()
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(4) as pool:
            squares = list(pool.map(lambda n: n * n, range(8)))
        return {
            "fork": outcome(os.fork),
            "subprocess": outcome(lambda: subprocess.run(["true"])),
            "spawn": outcome(lambda: os.posix_spawn("/bin/true", ["true"], {})),
            "exec": outcome(lambda: os.execv("/bin/true", ["true"])),
            "thread": ran == [499500] and squares == [n * n for n in range(8)],
        }

    result, _, status = run(body, policy, mode)
    assert exited_normally(status)
    assert result["fork"] == "PermissionError:EPERM"
    assert result["subprocess"].startswith("PermissionError")
    assert result["spawn"].startswith("PermissionError")
    assert result["exec"] == "PermissionError:EPERM"
    assert result["thread"] is True


# --- 7. memory ------------------------------------------------------------------------------------


def _virtual_mb() -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmSize:"))
    return int(line.split()[1]) // 1024


@pytest.mark.parametrize("mode", MODES)
def test_address_space_limit(policy, mode):
    limit = _virtual_mb() + 512
    policy = sandbox.Policy(**{**policy.__dict__, "memory_mb": limit})

    def body():
        return {"huge": outcome(lambda: bytearray(2 * limit * MB)), "small": outcome(lambda: bytearray(MB))}

    result, _, status = run(body, policy, mode)
    assert exited_normally(status)
    assert result == {"huge": "MemoryError", "small": "ok"}


@pytest.fixture
def cgroup(request):
    need(ROOT, "cgroups need root")
    need(CAPS["cgroup_memory"] and CAPS["cgroup_pids"], "cgroup v1 memory and pids are not writable")
    made = []

    def make(memory_mb, pids_max=256):
        group = sandbox.Cgroup(f"test-{os.getpid()}-{request.node.name[:40]}-{len(made)}", memory_mb, pids_max)
        made.append(group)
        assert group.active
        return group

    yield make
    for group in made:
        group.remove()
        assert not any(os.path.exists(d) for d in group.dirs.values())


def test_cgroup_memory_limit_kills_and_is_reported(policy, cgroup):
    group = cgroup(memory_mb=200)
    policy = sandbox.Policy(**{**policy.__dict__, "memory_mb": 16384})  # the address space is not what stops it

    def body():
        pages = b"\x01" * (400 * MB)  # written, so every page is charged
        return len(pages)

    result, report, status = run(body, policy, "root", cgroup=group)
    assert report is None and result is None, "the child outlived its memory limit"
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert group.memory_exceeded()
    group.reset()
    assert not group.memory_exceeded() and not group.pids()


def test_cgroup_bounds_a_thread_storm_and_kill_empties_it(policy, cgroup):
    group = cgroup(memory_mb=1024, pids_max=32)
    ready_read, ready_write = os.pipe()
    policy = sandbox.Policy(**{**policy.__dict__, "keep_fds": (ready_write,)})

    def body():
        stop = threading.Event()
        started = 0
        try:
            for _ in range(1000):
                threading.Thread(target=stop.wait, daemon=True).start()
                started += 1
        except RuntimeError:
            pass
        os.write(ready_write, str(started).encode())
        stop.wait()  # until the cgroup is killed

    child = Child(body, policy, "root", cgroup=group)
    try:
        assert ready_read in select.select([ready_read, child.reader], [], [], 60)[0], child.result()
        started = int(os.read(ready_read, 20))
        assert 0 < started < 32
        assert child.pid in group.pids()
        group.kill()
        assert not group.pids()
        _, status = child.result()
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        group.kill()  # already empty: nothing happens
    finally:
        os.close(ready_read)
        os.close(ready_write)


# --- 8. file size ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_file_size_limit_fails_writes_without_killing(policy, workdir, mode):
    policy = sandbox.Policy(**{**policy.__dict__, "file_mb": 1})

    def body():
        with open("big.bin", "wb", buffering=0) as big:
            return outcome(lambda: big.write(b"\0" * (2 * MB)) and big.write(b"\0" * MB))

    result, _, status = run(body, policy, mode)
    assert exited_normally(status)
    assert result == "OSError:EFBIG"
    assert (workdir / "big.bin").stat().st_size == MB


# --- 9. Keras -------------------------------------------------------------------------------------


def keras_trains(mode: str, workdir: str) -> dict:
    """Imports Keras, forks a sandboxed child that fits a tiny model; returns what the child saw.

    Meant for a fresh interpreter, as the grader's zygote is one: a process that has run
    TensorFlow ops (this pytest process has, by the time this test runs) must not fork.
    """
    import keras

    import graders.describe  # noqa: F401

    def body():
        import numpy as np

        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        rng = np.random.default_rng(0)
        history = model.fit(rng.normal(size=(64, 8)), rng.normal(size=(64, 1)), epochs=1, verbose=0)
        model.save("model.keras")
        return {"loss": float(history.history["loss"][0]), "threads": threading.active_count()}

    result, report, status = run(body, sandbox.Policy(workdir=workdir, uid=UID), mode)
    return {"result": result, "report": report, "exited": exited_normally(status)}


@pytest.mark.parametrize("mode", MODES)
def test_keras_still_trains(workdir, mode):
    need_mode(mode)
    script = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_sandbox; "
              f"print(json.dumps(test_sandbox.keras_trains({mode!r}, {str(workdir)!r})))")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env, cwd=REPO)
    assert done.returncode == 0, f"the fresh interpreter failed:\n{done.stderr[-3000:]}"
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["exited"], f"the sandboxed child did not exit normally: {seen}"
    assert math.isfinite(seen["result"]["loss"])
    assert seen["report"]["landlock"] and seen["report"]["seccomp"]


# --- 10. root only: uid, mounts, /root ------------------------------------------------------------


def test_root_child_changes_uid_and_leaves_host_mounts_alone(policy):
    need(ROOT, "uid changes and mount namespaces need root")
    need(CAPS["mountns"], "mount namespaces are unavailable")
    host_before = Path("/proc/self/mountinfo").read_text()
    hidden = sorted(p for p in Path("/root").iterdir() if p.name not in (".pyenv", ".keras"))
    python_file = Path(os.__file__)
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    policy = sandbox.Policy(**{**policy.__dict__, "keep_fds": (ready_write, go_read)})

    def body():
        result = {
            "uid": os.getresuid(),
            "gid": os.getresgid(),
            "groups": os.getgroups(),
            "listing": outcome(lambda: os.listdir("/root")),
            "hidden": {str(p): os.path.lexists(p) for p in hidden},
            "python": outcome(python_file.read_bytes),
            "own_mounts": Path("/proc/self/mountinfo").read_text(),
        }
        os.write(ready_write, b"x")
        os.read(go_read, 1)
        return result

    child = Child(body, policy, "root")
    try:
        assert ready_read in select.select([ready_read, child.reader], [], [], 60)[0], child.result()
        assert Path("/proc/self/mountinfo").read_text() == host_before, "the host's mounts changed"
        os.write(go_write, b"x")
        message, status = child.result()
    finally:
        for fd in (ready_read, ready_write, go_read, go_write):
            os.close(fd)
    result, report = message["result"], message["report"]
    assert exited_normally(status)
    assert Path("/proc/self/mountinfo").read_text() == host_before
    assert result["uid"] == result["gid"] == [UID] * 3 and result["groups"] == []
    assert report["uid"] == UID
    assert " /root " in result["own_mounts"] and " /tmp " in result["own_mounts"]
    assert result["listing"] == "PermissionError:EACCES"
    assert hidden and not any(result["hidden"].values()), result["hidden"]
    assert result["python"] == "ok"


def test_ordinary_user_gets_the_unprivileged_layers(policy):
    def body():
        return os.geteuid()

    result, report, _ = run(body, policy, "user")
    assert result != 0
    assert report["uid"] is False and report["netns"] is False and report["mountns"] is False
    assert report["cgroup"] is False
    assert report["landlock"] == CAPS["landlock"] and report["seccomp"] == CAPS["seccomp"]
    assert report["rlimits"] is True


# --- each kernel layer alone holds --------------------------------------------------------------


def test_landlock_alone(policy, listener):
    need(CAPS["landlock"] >= 6, "Landlock ABI 6 (signal scoping) is unavailable")
    reference = next((REPO / "reference").rglob("*.py"))
    port = listener.getsockname()[1]
    outside = Path(policy.workdir).parent / "outside.txt"

    def body():
        sandbox._libc.prctl(sandbox.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        sandbox._landlock(policy, policy.workdir, sandbox.default_readable())
        return {
            "reference": outcome(reference.read_text),
            "outside": outcome(lambda: outside.write_text("x")),
            "tcp": outcome(lambda: socket.create_connection(("127.0.0.1", port), timeout=2)),
            "signal_parent": outcome(lambda: os.kill(os.getppid(), 0)),
            "inside": outcome(lambda: (Path(policy.workdir) / "ok").write_text("x")),
        }

    message, _ = Child(body, policy, "bare").result()
    result = message["result"]
    assert result["reference"] == result["outside"] == "PermissionError:EACCES"
    assert result["tcp"] == "PermissionError:EACCES"
    assert result["signal_parent"] == "PermissionError:EPERM"
    assert result["inside"] == "ok" and not outside.exists()


def test_seccomp_alone(policy, listener):
    need(CAPS["seccomp"], "seccomp (libseccomp) is unavailable")

    def body():
        sandbox._libc.prctl(sandbox.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        sandbox._seccomp(policy)
        thread = threading.Thread(target=lambda: None)
        return {
            "fork": outcome(os.fork),
            "exec": outcome(lambda: os.execv("/bin/true", ["true"])),
            "signal_parent": outcome(lambda: os.kill(os.getppid(), 0)),
            "inet": outcome(lambda: socket.socket(socket.AF_INET)),
            "unshare": outcome(lambda: sandbox._check(sandbox._libc.unshare(sandbox.CLONE_NEWNET), "unshare")),
            "thread": outcome(lambda: (thread.start(), thread.join())),
        }

    message, _ = Child(body, policy, "bare").result()
    result = message["result"]
    for attempt in ("fork", "exec", "signal_parent", "inet", "unshare"):
        assert result[attempt] == "PermissionError:EPERM", attempt
    assert result["thread"] == "ok"


def test_a_failing_layer_raises_instead_of_running_unsandboxed(policy, workdir):
    need(ROOT, "needs root: the failing layer is the network namespace")

    def body():
        import pyseccomp

        rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
        rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "unshare")
        missing = outcome(lambda: sandbox.enter(sandbox.Policy(workdir=str(workdir / "missing"))))
        rules.load()
        try:
            sandbox.enter(CHILD_POLICY)
        except sandbox.SandboxError as exc:
            return {"missing": missing, "netns": str(exc)}
        return {"missing": missing, "netns": "entered"}

    message, _ = Child(body, policy, "bare").result()
    assert message["result"]["missing"] == "SandboxError"
    assert message["result"]["netns"].startswith("netns: ") and "\n" not in message["result"]["netns"]


def test_default_readable_keeps_the_repository_and_tmp_out():
    paths = sandbox.default_readable()
    keras_cache = os.path.realpath(os.environ.get("KERAS_HOME") or os.path.expanduser("~/.keras"))
    assert str(REPO / "graders") in paths
    assert str(REPO) not in paths and str(REPO / "reference") not in paths
    # nothing readable holds the reference answers, wherever the checkout lives (under /tmp, say)
    reference = str(REPO / "reference")
    assert not [p for p in paths if reference == p or reference.startswith(p.rstrip("/") + "/")], paths
    assert "/tmp" not in paths and keras_cache != "/tmp"
    assert os.path.realpath(sys.base_prefix) in paths
