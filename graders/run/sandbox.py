"""The sandbox a forked child enters before it runs a student's (untrusted) code.

``enter(policy)`` is called in the child, right after ``fork`` and before any
untrusted code. Each layer is applied when this machine and user support it,
and a layer that is supported but fails raises :class:`SandboxError`, so a
child never runs unsandboxed by accident. In order:

1. fds: every descriptor but 0, 1, 2 and ``keep_fds`` is closed (the pipes of
   other children, the grader's files). (The caller gives the child a session of its
   own with ``os.setsid()``, before or after: without a controlling terminal it
   cannot read the grader's /dev/tty.)
2. cgroup (root): the child joins its slot's v1 memory and pids cgroups.
3. netns (root, ``network=False``): a network namespace of its own, no interfaces.
4. mountns (root): private mount and IPC namespaces. Shared scratch places
   (/tmp, /var/tmp, /run, /dev/shm) and every ancestor directory the child
   could not traverse (``/root`` holding the interpreter, say) are covered by
   an empty tmpfs, into which only the paths the child needs are bound again.
   Nothing changes outside the child's namespace.
5. rlimits: address space, file size (SIGXFSZ ignored: EFBIG instead), open
   files, no core files, and a generous process count for the uid.
6. workdir: chowned to the uid, becomes cwd, HOME, TMPDIR, MPLCONFIGDIR.
7. uid (root): no groups, then gid and uid become ``policy.uid``; with
   ``uid=None`` root stays uid 0 but loses every capability.
8. no_new_privs, and the parent's death kills the child.
9. landlock: reads only in the allowed trees, writes only in workdir, no TCP,
   no signals or abstract unix sockets outside the child's own domain.
10. seccomp: no exec, no new processes (threads are fine), signals, limits and
   scheduling only for itself, no sockets but AF_UNIX (and, unless
   ``unix_sockets``, no connecting or sending to an address), no
   namespace/mount/kernel-administration calls, no io_uring.

What it cannot do: the child is a copy of the grader, so whatever the grader
holds in memory when it forks (other submissions' results, reference data) is
readable by the child's code; fork before loading such things. Files in
workdir are limited in size one by one (``file_mb``), not in number.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import site
import stat
import struct
import sys
import time
from dataclasses import dataclass

try:
    import pyseccomp as seccomp
except (ImportError, RuntimeError):  # RuntimeError: libseccomp itself is missing
    seccomp = None

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)
_libc.unshare.argtypes = (ctypes.c_int,)
_libc.prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)

CLONE_THREAD = 0x00010000
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
SECCOMP_MODE_FILTER = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

#: RLIMIT_NPROC once the uid is dropped: it counts every thread of that uid, and
#: TensorFlow starts a few dozen per process; the pids cgroup is the real tree limit.
NPROC = 512

#: shared scratch places a child must neither read nor reach sockets in (covered when root)
SCRATCH = ("/tmp", "/var/tmp", "/run", "/dev/shm")

#: what a sandboxed process may read of /proc besides its own /proc/PID (TensorFlow, NumPy and
#: Python read these to size thread pools and memory)
PROC_FILES = ("cpuinfo", "meminfo", "stat", "loadavg", "uptime", "version", "filesystems", "sys")

#: device files every process may open for reading and writing
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")

# Landlock (include/uapi/linux/landlock.h); the syscall numbers are the same on every
# architecture but alpha, which has no Landlock anyway.
_LL_CREATE_RULESET, _LL_ADD_RULE, _LL_RESTRICT_SELF = 444, 445, 446
_LL_CREATE_RULESET_VERSION = 1
_LL_RULE_PATH_BENEATH = 1
_FS = {
    "EXECUTE": 1 << 0, "WRITE_FILE": 1 << 1, "READ_FILE": 1 << 2, "READ_DIR": 1 << 3,
    "REMOVE_DIR": 1 << 4, "REMOVE_FILE": 1 << 5, "MAKE_CHAR": 1 << 6, "MAKE_DIR": 1 << 7,
    "MAKE_REG": 1 << 8, "MAKE_SOCK": 1 << 9, "MAKE_FIFO": 1 << 10, "MAKE_BLOCK": 1 << 11,
    "MAKE_SYM": 1 << 12, "REFER": 1 << 13, "TRUNCATE": 1 << 14, "IOCTL_DEV": 1 << 15,
}
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
#: the only rights Landlock accepts on a rule for a file that is not a directory
_FS_FILE_RIGHTS = _FS["EXECUTE"] | _FS["WRITE_FILE"] | _FS["READ_FILE"] | _FS["TRUNCATE"] | _FS["IOCTL_DEV"]
_FS_READ = _FS["EXECUTE"] | _FS["READ_FILE"] | _FS["READ_DIR"]
_FS_DEVICE = _FS["READ_FILE"] | _FS["WRITE_FILE"] | _FS["TRUNCATE"] | _FS["IOCTL_DEV"]
_FS_WRITE = (
    _FS_READ | _FS["WRITE_FILE"] | _FS["REMOVE_DIR"] | _FS["REMOVE_FILE"] | _FS["MAKE_DIR"] | _FS["MAKE_REG"]
    | _FS["MAKE_FIFO"] | _FS["MAKE_SYM"] | _FS["REFER"] | _FS["TRUNCATE"]
)
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class SandboxError(Exception):
    """A layer that must apply could not; message one line."""


@dataclass(frozen=True)
class Policy:
    """What a sandboxed child may do. See the module docstring for the layers."""

    workdir: str                     # the only tree the process may write (and it may read it); becomes cwd
    read_only: tuple[str, ...] = ()  # extra trees it may read (their own mode must let ``uid`` read them)
    uid: int | None = None           # when root: become this uid and gid; ignored when not root
    memory_mb: int = 4096            # RLIMIT_AS
    file_mb: int = 256               # RLIMIT_FSIZE
    open_files: int = 256            # RLIMIT_NOFILE
    keep_fds: tuple[int, ...] = ()   # descriptors kept open besides 0, 1, 2
    network: bool = False            # False: own network namespace (root), no TCP, only AF_UNIX sockets
    unix_sockets: bool = False       # True: may also create unix socket files in workdir and connect
    thread_scheduling: bool = False  # True: threads may set their own scheduling by thread id (libzmq's do)
    disk_mb: int | None = None       # root: workdir becomes a fresh tmpfs of this size (what it held is hidden)


def default_readable() -> tuple[str, ...]:
    """The trees every sandboxed Python process needs to read, resolved, existing ones only.

    The interpreter's prefixes and site-packages, the ``graders`` package
    directory (not the repository around it), the system trees (/usr, /lib,
    /lib64, /etc, /sys, /dev), of /proc only the calling process's own entry and
    :data:`PROC_FILES`, and the Keras cache if it exists. Call it in the process
    that will be sandboxed.
    """
    import graders

    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        paths.append(site.getusersitepackages())
    paths.append(os.path.dirname(os.path.abspath(graders.__file__)))
    paths += ["/usr", "/lib", "/lib64", "/etc", "/sys", "/dev"]
    # Of /proc only this process's own entry and the machine-wide files: another process's
    # command line, environment or memory (the grader's, a classmate's) stays unreadable.
    paths += [f"/proc/{os.getpid()}", *(f"/proc/{name}" for name in PROC_FILES)]
    paths.append(os.environ.get("KERAS_HOME") or os.path.expanduser("~/.keras"))
    return _existing(paths)


def capabilities() -> dict:
    """What this machine and user support.

    Returns ``{"root", "landlock" (ABI, 0 if none), "seccomp", "cgroup_memory",
    "cgroup_pids" (v1 hierarchy writable by us), "netns", "mountns"}``.
    """
    root = os.geteuid() == 0
    namespaces = root and os.path.exists("/proc/self/ns/net")
    return {
        "root": root,
        "landlock": landlock_abi(),
        "seccomp": _seccomp_available(),
        "cgroup_memory": root and _writable(_own_cgroup_dir("memory")),
        "cgroup_pids": root and _writable(_own_cgroup_dir("pids")),
        "netns": namespaces,
        "mountns": namespaces,
    }


def landlock_abi() -> int:
    """The Landlock ABI version of the running kernel, 0 when Landlock is unavailable."""
    abi = _libc.syscall(_LL_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_LL_CREATE_RULESET_VERSION))
    return max(int(abi), 0)


def enter(policy: Policy, cgroup: "Cgroup | None" = None) -> dict:
    """Sandboxes the calling process, which must be a freshly forked, single-threaded child.

    Takes the ``policy`` and optionally the slot's ``cgroup`` (joined when root).
    Returns ``{layer: True/False or a detail}`` saying what applied, in order,
    plus ``"ms"``: ``{layer: milliseconds}`` (``"paths"``: resolving what may be read).

    Raises:
        SandboxError: a layer this machine supports could not be applied; the
            process must then not run untrusted code.
    """
    start = time.perf_counter()
    root = os.geteuid() == 0
    workdir = os.path.realpath(policy.workdir)
    if not os.path.isdir(workdir):
        raise SandboxError(f"workdir: {workdir} is not a directory")
    readable = _existing(default_readable() + tuple(policy.read_only))
    uid = policy.uid if root else None
    parent = os.getppid()
    report: dict = {}
    timings: dict = {"paths": (time.perf_counter() - start) * 1000}

    def layer(name, function, *args):
        start = time.perf_counter()
        try:
            report[name] = function(*args)
        except SandboxError:
            raise
        except Exception as exc:
            raise SandboxError(f"{name}: {' '.join(str(exc).split()) or type(exc).__name__}") from None
        finally:
            timings[name] = (time.perf_counter() - start) * 1000

    layer("fds", _close_fds, policy.keep_fds)
    layer("cgroup", _join, cgroup if root else None)
    layer("netns", _unshare_net, root and not policy.network)
    layer("mountns", _mount_namespace, root, (*readable, workdir), (workdir, *policy.read_only))
    layer("disk", _private_workdir, workdir, policy.disk_mb if root else None, uid)
    layer("rlimits", _rlimits, policy, uid is not None)
    layer("workdir", _workdir, workdir, uid)
    layer("uid", _drop, uid, root)
    layer("no_new_privs", _no_new_privs, parent)
    layer("landlock", _landlock, policy, workdir, readable)
    layer("seccomp", _seccomp, policy)
    report["ms"] = timings
    return report


# --- the layers, in order -------------------------------------------------------------------------


def _close_fds(keep: tuple[int, ...]) -> bool:
    low = 3
    for fd in sorted({fd for fd in keep if fd >= 3}):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 2**31 - 1)  # close_range(2) under the hood
    return True


def _join(cgroup: "Cgroup | None") -> bool:
    if cgroup is None or not cgroup.active:
        return False
    cgroup.join()
    return True


def _unshare_net(wanted: bool) -> bool:
    if not wanted:
        return False
    _check(_libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
    return True


def _mount_namespace(root: bool, needed: tuple[str, ...], chosen: tuple[str, ...]) -> list | bool:
    """Private mount and IPC namespaces; covers what must not be seen. Returns the covered dirs."""
    if not root:
        return False
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare(CLONE_NEWNS|CLONE_NEWIPC)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # A scratch place the policy itself names (read_only=("/tmp",), say) stays visible.
    scratch = [d for d in SCRATCH if not any(_within(d, os.path.realpath(p)) for p in chosen)]
    return reveal(needed, extra_covers=scratch)


def reveal(paths, extra_covers=()) -> list:
    """Makes ``paths`` reachable by any uid without showing what is around them.

    Call as root inside a private mount namespace (after ``unshare(CLONE_NEWNS)``
    and making ``/`` private recursively). Every topmost ancestor directory of a
    path that others cannot traverse (no o+x), and every directory of
    ``extra_covers``, is covered by an empty read-only tmpfs (mode 0755) in which
    only the paths below it are recreated and bind-mounted back from the real
    tree. Returns the covered directories.
    """
    paths = _existing(paths)
    covers = {os.path.realpath(d) for d in extra_covers if os.path.isdir(d)}
    covers.update(a for a in map(_blocked_ancestor, paths) if a)
    # Only the outermost cover counts: everything under it is recreated traversable.
    covers = sorted(c for c in covers if not any(o != c and _within(c, o) for o in covers))
    mask = os.umask(0o022)
    try:
        for cover in covers:
            _cover(cover, paths)
    finally:
        os.umask(mask)
    return covers


def _cover(cover: str, paths: tuple[str, ...]) -> None:
    """Mounts the empty tmpfs over ``cover`` and binds back the ``paths`` below it."""
    below = sorted(p for p in paths if p != cover and _within(p, cover))
    # Inner paths come along with an outer one's recursive bind; never create
    # anything inside a bind mount, that would write to the real tree.
    below = [p for i, p in enumerate(below) if not any(_within(p, q) for q in below[:i])]
    handles = [os.open(p, os.O_PATH | os.O_CLOEXEC) for p in below]
    try:
        _mount(b"tmpfs", cover, b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=16k,nr_inodes=4096")
        for path, handle in zip(below, handles):
            os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
            if stat.S_ISDIR(os.fstat(handle).st_mode):
                os.mkdir(path, 0o755)
            else:
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o644))
            # The covered original stays reachable through the O_PATH handle opened before.
            _mount(f"/proc/self/fd/{handle}".encode(), path, None, MS_BIND | MS_REC)
        _mount(None, cover, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    finally:
        for handle in handles:
            os.close(handle)


def _rlimits(policy: Policy, dropping: bool) -> bool:
    mb = 2**20
    limits = [
        (resource.RLIMIT_AS, policy.memory_mb * mb),
        (resource.RLIMIT_FSIZE, policy.file_mb * mb),
        (resource.RLIMIT_NOFILE, policy.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    if dropping:  # for an ordinary user it would count all their processes, so leave it
        limits.append((resource.RLIMIT_NPROC, NPROC))
    for which, value in limits:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and hard < value:
            value = hard
        resource.setrlimit(which, (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return True


def _private_workdir(workdir: str, size_mb: int | None, uid: int | None) -> bool:
    """Mounts a fresh tmpfs of ``size_mb`` on workdir in the child's own mount namespace.

    What the child writes is then bounded in total, not only file by file, and
    its pages count against the memory cgroup; the folder is empty again for
    the next child, and nothing of it outlives the namespace.
    """
    if not size_mb:
        return False
    owner = 0 if uid is None else uid
    _mount(b"tmpfs", workdir.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
           f"size={int(size_mb)}m,mode=0700,uid={owner},gid={owner}".encode())
    return True


def _workdir(workdir: str, uid: int | None) -> bool:
    home = workdir
    tmp = os.path.join(workdir, "tmp")
    mpl = os.path.join(workdir, ".matplotlib")
    for path in (tmp, mpl):
        os.makedirs(path, mode=0o700, exist_ok=True)
    if uid is not None:
        for top, dirs, files in os.walk(workdir):
            for name in (top, *(os.path.join(top, n) for n in dirs + files)):
                os.lchown(name, uid, uid)
    os.chdir(workdir)
    os.environ.update(HOME=home, TMPDIR=tmp, MPLCONFIGDIR=mpl)
    if "tempfile" in sys.modules:  # it caches the directory it found first
        sys.modules["tempfile"].tempdir = tmp
    return True


def _drop(uid: int | None, root: bool) -> int | str | bool:
    """Becomes ``uid`` (which also clears every capability); root staying root loses its capabilities."""
    if uid is None:
        if not root:
            return False
        _drop_capabilities()
        return "root without capabilities"
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid) or os.getgroups():
        raise SandboxError(f"uid: still {os.getresuid()} after dropping to {uid}")
    return uid


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    with open("/proc/sys/kernel/cap_last_cap") as file:
        last = int(file.read())
    for capability in range(last + 1):  # the bounding set first: that needs CAP_SETPCAP
        _check(_libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0), "prctl(PR_CAPBSET_DROP)")
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(PR_CAP_AMBIENT)")
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def _no_new_privs(parent: int) -> bool:
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    # Set after the uid change, which clears it. It fires when the thread that forked us ends.
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:
        raise SandboxError("no_new_privs: the parent process has already ended")
    return True


def _landlock(policy: Policy, workdir: str, readable: tuple[str, ...]) -> int | bool:
    abi = landlock_abi()
    if abi == 0:
        return False
    fs = _FS_BY_ABI.get(abi, _FS_BY_ABI[5])
    attr = _RulesetAttr(handled_access_fs=fs)
    size = 8
    if abi >= 4 and not policy.network:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP  # no rules: all denied
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_SIGNAL | _SCOPE_ABSTRACT_UNIX_SOCKET
        size = 24
    ruleset = _libc.syscall(_LL_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    _check(ruleset, "landlock_create_ruleset")
    try:
        write = _FS_WRITE | (_FS["MAKE_SOCK"] if policy.unix_sockets else 0)
        rules = [(p, _FS_READ) for p in readable] + [(d, _FS_DEVICE) for d in DEVICES] + [(workdir, write)]
        for path, rights in rules:
            _landlock_rule(ruleset, path, rights & fs)
        _check(_libc.syscall(_LL_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _landlock_rule(ruleset: int, path: str, rights: int) -> None:
    try:
        handle = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(handle).st_mode):
            rights &= _FS_FILE_RIGHTS
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=handle)
        done = _libc.syscall(_LL_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_LL_RULE_PATH_BENEATH),
                             ctypes.byref(rule), ctypes.c_uint32(0))
        _check(done, f"landlock_add_rule({path})")
    finally:
        os.close(handle)


#: denied outright (EPERM): new programs and processes, other processes' memory, namespaces,
#: mounts, kernel keyrings/modules/BPF/perf, io_uring (its operations bypass seccomp), changing ids.
_DENIED = (
    "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "process_madvise", "process_mrelease", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "tkill",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "open_by_handle_at", "name_to_handle_at", "init_module",
    "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff",
    "acct", "quotactl", "quotactl_fd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "personality", "ioperm", "iopl", "syslog", "vhangup", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "lookup_dcookie", "uselib",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid",
    "setgroups", "capset", "fanotify_init", "modify_ldt",
)
_SELF_ONLY = (
    "prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr",
    "migrate_pages", "move_pages",
)
#: what pthread_setschedparam and pthread_setschedprio call, naming the thread's id
_THREAD_SCHEDULING = ("sched_setscheduler", "sched_setparam")
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C  # push input into a terminal: a classic escape


_PID_MARK = 0x3FFFFFF1  # stands for the child's pid in a prebuilt filter: above any possible pid_max
_BPF_JEQ_K = 0x15
_PROGRAMS: dict[tuple[bool, bool, bool], tuple[bytes, int]] = {}


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _seccomp(policy: Policy) -> bool:
    """Loads the filter. Building it with libseccomp takes milliseconds, so the BPF program is
    built once per process (at import, in the parent) with a mark where the child's pid goes."""
    if not _seccomp_available():
        return False
    program, marks = _program(policy.network, policy.unix_sockets, policy.thread_scheduling)
    program = bytearray(program)
    found = 0
    for offset in range(0, len(program), 8):
        code, _, _, k = struct.unpack_from("=HBBI", program, offset)
        if k == _PID_MARK:
            if code != _BPF_JEQ_K:
                raise SandboxError(f"seccomp: unexpected use of the pid mark in instruction {offset // 8}")
            struct.pack_into("=I", program, offset + 4, os.getpid())
            found += 1
    if marks and not found:  # libseccomp shares identical comparisons, so found <= marks
        raise SandboxError("seccomp: the filter lost its pid comparisons")
    buffer = (ctypes.c_char * len(program)).from_buffer(program)
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0), "prctl(PR_SET_SECCOMP)")
    return True


def _program(network: bool, unix_sockets: bool, thread_scheduling: bool = False) -> tuple[bytes, int]:
    """The filter's BPF program and how many rules compare with the pid, built once per process."""
    key = (network, unix_sockets, thread_scheduling)
    if key not in _PROGRAMS:
        rules, marks = _rules(network, unix_sockets, _PID_MARK, thread_scheduling)
        fd = os.memfd_create("seccomp", os.MFD_CLOEXEC)
        try:
            rules.export_bpf(_Fd(fd))
            _PROGRAMS[key] = (os.pread(fd, os.fstat(fd).st_size, 0), marks)
        finally:
            os.close(fd)
    return _PROGRAMS[key]


class _Fd:
    def __init__(self, fd: int):
        self._fd = fd

    def fileno(self) -> int:
        return self._fd


def _rules(network: bool, unix_sockets: bool, pid: int, thread_scheduling: bool = False) -> tuple["seccomp.SyscallFilter", int]:
    """The libseccomp filter; returns it and how many rules compare with ``pid``."""
    eperm = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    # A call made through another ABI (x32, or int 0x80 for i386) escapes every rule below:
    # end the whole process, not only the thread that made it (libseccomp's default).
    rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)

    def deny(name, *args, action=eperm) -> int:
        number = seccomp.resolve_syscall(seccomp.Arch.NATIVE, name)
        if number < 0:  # not a syscall of this architecture (or unknown to libseccomp)
            return 0
        rules.add_rule(action, number, *args)
        return 1

    for name in _DENIED:
        deny(name)
    # Threads only: a clone without CLONE_THREAD is a new process. clone3 passes its
    # flags in memory, which seccomp cannot read: ENOSYS makes glibc fall back to clone.
    deny("clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    deny("clone3", action=seccomp.ERRNO(errno.ENOSYS))
    # Signals only to this process (pid 0 and negative pids are process groups).
    marks = sum(deny(name, seccomp.Arg(0, seccomp.NE, pid))
                for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"))
    # Calls that can name another process (limits, scheduling, memory placement) may only
    # name the caller: 0. (libseccomp cannot also allow the pid: one comparison per argument.)
    # pthread_setschedparam names the thread by its id, which no rule can know in advance: a
    # process whose threads need it (an IPython kernel, for libzmq) may name any pid. Without
    # capabilities it can still only lower the priority of processes of its own uid.
    for name in _SELF_ONLY:
        if not (thread_scheduling and name in _THREAD_SCHEDULING):
            deny(name, seccomp.Arg(0, seccomp.NE, 0))
    for name, process in (("setpriority", 0), ("ioprio_set", 1)):  # PRIO_PROCESS, IOPRIO_WHO_PROCESS
        deny(name, seccomp.Arg(0, seccomp.NE, process))
        deny(name, seccomp.Arg(1, seccomp.NE, 0))
    for request in (_TIOCSTI, _TIOCLINUX):
        deny("ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    if not network:
        for name in ("socket", "socketpair"):
            deny(name, seccomp.Arg(0, seccomp.NE, 1))  # 1: AF_UNIX
        if not unix_sockets:
            # Only socketpair()s then: Landlock does not mediate connecting to a unix socket
            # file (a user's D-Bus, say), so no connecting and no sending to an address.
            for name in ("connect", "sendmsg", "sendmmsg"):
                deny(name)
            deny("sendto", seccomp.Arg(4, seccomp.NE, 0))
    return rules, marks


def _prebuild() -> None:
    if _seccomp_available():
        try:
            _program(False, False)
        except Exception:  # noqa: BLE001  the child builds it again and reports the error
            _PROGRAMS.clear()


# --- cgroups (parent side) ------------------------------------------------------------------------


#: unprivileged uids for sandboxed processes when running as root, and where their locks live
FIRST_UID, LAST_UID = 60001, 64999
UID_LOCKS = "/run/graders-uids"


def claim_uid(from_top: bool = False) -> tuple[int, int]:
    """An uid no account has and no other sandbox holds; returns it and the lock file that holds it.

    Concurrent graders and kernels share the range and the lock files, so they
    never share a uid. Runner's children claim from the bottom, kernels from the
    top. Close the lock when the uid's processes are gone.

    Raises:
        SandboxError: every uid of the range is taken.
    """
    import fcntl
    import pwd

    os.makedirs(UID_LOCKS, mode=0o700, exist_ok=True)
    uids = range(LAST_UID - 1, FIRST_UID - 1, -1) if from_top else range(FIRST_UID, LAST_UID)
    for uid in uids:
        try:
            pwd.getpwuid(uid)
            continue
        except KeyError:
            pass
        lock = os.open(os.path.join(UID_LOCKS, str(uid)), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            continue
        return uid, lock
    raise SandboxError("no unused uid is left for the sandbox")


class Cgroup:
    """One cgroup v1 memory + pids pair for a sandbox slot, made below the caller's own cgroups.

    Only when root and the hierarchies are writable; otherwise ``active`` is
    False and every method does nothing.
    """

    def __init__(self, name: str, memory_mb: int, pids_max: int = 256):
        """Creates (or reuses) ``<memory and pids hierarchies>/<own cgroup>/graders/<name>``.

        Raises:
            SandboxError: the hierarchies are writable but the cgroup could not be set up.
        """
        self.name = name
        self.dirs: dict[str, str] = {}
        self.active = False
        self._oom_base = 0
        if os.geteuid() != 0:
            return
        bases = {c: _own_cgroup_dir(c) for c in ("memory", "pids")}
        if not all(_writable(b) for b in bases.values()):
            return
        try:
            for controller, base in bases.items():
                path = os.path.join(base, "graders", name)
                os.makedirs(path, exist_ok=True)
                self.dirs[controller] = path
            self.active = True
            self.kill()
            self._limit_memory(memory_mb * 2**20)
            self._write("pids", "pids.max", str(pids_max))
            self.reset()
        except OSError as exc:
            self.remove()
            raise SandboxError(f"cgroup {name}: {exc}") from None

    def join(self) -> None:
        """Moves the calling process into both cgroups (call in the child, as root).

        Raises:
            SandboxError: it could not join.
        """
        if not self.active:
            return
        # Moving only the calling thread ("0" into tasks) skips the kernel's process-wide lock,
        # which costs an RCU grace period (~10 ms here); for a single-threaded process it is
        # the same move.
        single = _thread_count() == 1
        try:
            for controller in self.dirs:
                if single:
                    self._write(controller, "tasks", "0")
                else:
                    self._write(controller, "cgroup.procs", str(os.getpid()))
        except OSError as exc:
            raise SandboxError(f"cgroup {self.name}: cannot join: {exc}") from None

    def pids(self) -> set[int]:
        """The processes now in the cgroups."""
        found = set()
        for controller in self.dirs:
            try:
                found.update(int(line) for line in self._read(controller, "cgroup.procs").split())
            except FileNotFoundError:
                pass
        return found

    def kill(self, seconds: float = 5.0) -> None:
        """SIGKILLs every process in the cgroups until they are empty or ``seconds`` have passed."""
        if not self.active:
            return
        deadline = time.monotonic() + seconds
        while (listed := self.pids()) and time.monotonic() < deadline:
            # A pidfd pins the process: after the re-read below, a listed pid can
            # only be that same process (or one that has joined since), never a reused pid.
            handles = {}
            for pid in listed:
                try:
                    handles[pid] = os.pidfd_open(pid)
                except OSError:
                    pass
            still = self.pids()
            for pid, handle in handles.items():
                try:
                    if pid in still:
                        signal.pidfd_send_signal(handle, signal.SIGKILL)
                except OSError:
                    pass
                finally:
                    os.close(handle)
            time.sleep(0.002)

    def memory_exceeded(self) -> bool:
        """True when a process was OOM-killed in the memory cgroup since the last reset.

        Falls back to ``memory.failcnt`` on kernels without an ``oom_kill`` count
        (which also counts limit hits that reclaim resolved).
        """
        if not self.active:
            return False
        kills = self._oom_kills()
        if kills is not None:
            return kills > self._oom_base
        return int(self._read("memory", "memory.failcnt")) > 0

    def reset(self) -> None:
        """Kills what is left, then clears the counters for the next child."""
        if not self.active:
            return
        self.kill()
        # Not memory.force_empty: it can take 100 ms, and what stays charged (page cache of
        # the last child's files) is reclaimed when the next child needs the room.
        for name in ("memory.failcnt", "memory.max_usage_in_bytes", "memory.memsw.failcnt",
                     "memory.memsw.max_usage_in_bytes"):
            if self._exists("memory", name):
                self._write("memory", name, "0")
        self._oom_base = self._oom_kills() or 0

    def remove(self) -> None:
        """Kills what is left and removes the cgroups (and the ``graders`` parents once empty)."""
        self.kill()
        for path in self.dirs.values():
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:  # EBUSY while the last process finishes exiting
                    time.sleep(0.01)
            try:
                os.rmdir(os.path.dirname(path))
            except OSError:
                pass
        self.dirs = {}
        self.active = False

    def _limit_memory(self, limit: int) -> None:
        names = ["memory.limit_in_bytes"]
        if self._exists("memory", "memory.memsw.limit_in_bytes"):  # memory + swap: no escape into swap
            names.append("memory.memsw.limit_in_bytes")
            # The kernel keeps limit <= memsw limit at every step, so raise memsw first.
            if limit > int(self._read("memory", names[1])):
                names.reverse()
        for name in names:
            self._write("memory", name, str(limit))

    def _oom_kills(self) -> int | None:
        for line in self._read("memory", "memory.oom_control").splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return None

    def _exists(self, controller: str, name: str) -> bool:
        return os.path.exists(os.path.join(self.dirs[controller], name))

    def _read(self, controller: str, name: str) -> str:
        with open(os.path.join(self.dirs[controller], name)) as file:
            return file.read()

    def _write(self, controller: str, name: str, value: str) -> None:
        with open(os.path.join(self.dirs[controller], name), "w") as file:
            file.write(value)


# --- helpers --------------------------------------------------------------------------------------


def _check(result: int, what: str) -> int:
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")
    return result


def _mount(source, target, fstype, flags, data=None) -> None:
    target = target.encode() if isinstance(target, str) else target
    _check(_libc.mount(source, target, fstype, flags, data), f"mount {target.decode()}")


def _existing(paths) -> tuple[str, ...]:
    """Resolved, existing, without repeats, in order."""
    seen = {}
    for path in paths:
        if path:
            real = os.path.realpath(path)
            if os.path.exists(real):
                seen.setdefault(real, None)
    return tuple(seen)


def _within(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip("/") + "/")


def _blocked_ancestor(path: str) -> str | None:
    """The topmost strict ancestor of ``path`` that others cannot traverse (no o+x), if any."""
    current = "/"
    for part in path.strip("/").split("/")[:-1]:
        current = os.path.join(current, part)
        if not os.stat(current).st_mode & stat.S_IXOTH:
            return current
    return None


def _thread_count() -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("Threads:")).split()[1])


def _seccomp_available() -> bool:
    if seccomp is None:
        return False
    try:
        with open("/proc/self/status") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False


def _own_cgroup_dir(controller: str) -> str | None:
    """Where this process's cgroup of a v1 ``controller`` is in the file system, if mounted."""
    try:
        with open("/proc/self/cgroup") as file:
            own = next((line.rstrip("\n").split(":", 2)[2] for line in file
                        if controller in line.split(":", 2)[1].split(",")), None)
        if own is None:
            return None
        with open("/proc/self/mountinfo") as file:
            for line in file:
                fields, _, tail = line.partition(" - ")
                fstype, _, options = tail.split(" ")[:3]
                if fstype == "cgroup" and controller in options.strip().split(","):
                    mount_root, mount_point = fields.split(" ")[3:5]
                    if _within(own, mount_root):
                        return os.path.normpath(os.path.join(mount_point, os.path.relpath(own, mount_root)))
    except (OSError, ValueError):
        pass
    return None


def _writable(path: str | None) -> bool:
    return bool(path) and os.access(path, os.W_OK)


_prebuild()
