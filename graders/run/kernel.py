"""Starts a Jupyter kernel inside the sandbox: ``python -m graders.run.kernel [options] -- KERNEL ARGV``.

nbgrader's kernel runs a student's code, so it gets the same walls as the
runner's children (:mod:`graders.run.sandbox`): it may write only in its
scratch folder, read only Python, the installed packages and system files,
reach no network, start no program, and runs as its own unprivileged uid
when started by root. The kernel manager (:class:`graders.autograde.SandboxedKernelManager`)
prefixes the kernel's command with this launcher, which, still privileged:

1. copies the connection file jupyter_client wrote (root's, mode 0600) into
   the kernel's folder, owned by the kernel's uid, and points ``-f`` at it;
2. enters the sandbox (cgroup, namespaces, limits, uid, Landlock, seccomp);
3. runs the kernel module (``ipykernel_launcher``) in this same process with
   ``runpy``: the seccomp filter forbids ``exec``.

Only ``KERNEL ARGV`` of the form ``PYTHON -m MODULE ARGS...`` can be run so.
"""

from __future__ import annotations

import argparse
import os
import runpy
import stat
import sys

CONNECTION_FLAGS = ("-f", "--f", "--existing", "--IPKernelApp.connection_file", "--ConnectionFileMixin.connection_file")


class LaunchError(Exception):
    """The kernel command cannot be run in the sandbox; the message says why."""


def kernel_module(argv: list[str]) -> tuple[str, list[str]]:
    """``(module, args)`` from ``[python, "-m", module, *args]``.

    Raises:
        LaunchError: the command is not a Python module run.
    """
    if len(argv) >= 3 and argv[1] == "-m" and os.path.basename(argv[0]).startswith("python"):
        return argv[2], list(argv[3:])
    raise LaunchError(f"only `python -m MODULE ...` kernels can run in the sandbox, not {' '.join(argv[:3])!r}")


def move_connection_file(args: list[str], folder: str, uid: int | None) -> list[str]:
    """Copies the connection file named in ``args`` into ``folder`` for ``uid``; returns the args pointing at the copy.

    This runs privileged in a folder made from a student's files, so nothing
    there is followed: ``folder`` must be a real directory (made if missing)
    and the copy a new file.

    Raises:
        LaunchError: no connection file in ``args``, or ``folder`` or the copy is not what it must be.
    """
    args = list(args)
    for index, arg in enumerate(args):
        flag, _, inline = arg.partition("=")
        if flag not in CONNECTION_FLAGS:
            continue
        original = inline if inline else (args[index + 1] if index + 1 < len(args) else "")
        if not original:
            continue
        copy = os.path.join(folder, "connection.json")
        with open(original, "rb") as source:
            content = source.read()
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise LaunchError(f"{folder} is not a directory") from None
        try:
            handle = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            raise LaunchError(f"{copy} exists already") from None
        with os.fdopen(handle, "wb") as target:
            target.write(content)
            if uid is not None:
                os.fchown(target.fileno(), uid, uid)
        if uid is not None:
            os.lchown(folder, uid, uid)
        if inline:
            args[index] = f"{flag}={copy}"
        else:
            args[index + 1] = copy
        return args
    raise LaunchError("the kernel command names no connection file (-f FILE)")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        raise SystemExit("usage: python -m graders.run.kernel --workdir DIR [options] -- KERNEL ARGV")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m graders.run.kernel")
    parser.add_argument("--workdir", required=True, help="the kernel's scratch folder: its cwd and only writable tree")
    parser.add_argument("--uid", type=int, help="run as this uid (when started by root)")
    parser.add_argument("--memory", type=int, default=4096, help="memory limit, MB")
    parser.add_argument("--pids", type=int, default=1024, help="most processes and threads (cgroup)")
    parser.add_argument("--cgroup", help="name of the kernel's cgroup (when the machine has cgroups)")
    parser.add_argument("--read-only", action="append", default=[], help="a further path the kernel may read")
    options = parser.parse_args(argv[:split])
    module, args = kernel_module(argv[split + 1 :])
    workdir = os.path.abspath(options.workdir)
    args = move_connection_file(args, os.path.join(workdir, ".kernel"), options.uid)
    # the sandbox moves HOME into workdir: keep the Keras cache (the lesson's data set) where it was
    keras_home = os.environ.get("KERAS_HOME") or os.path.expanduser("~/.keras")
    if os.path.isdir(keras_home):
        os.environ["KERAS_HOME"] = keras_home
    # joblib would probe for process-based parallelism, which the sandbox forbids, and warn on stderr
    os.environ.setdefault("JOBLIB_MULTIPROCESSING", "0")

    from graders.run import sandbox

    policy = sandbox.Policy(
        workdir=workdir,
        read_only=tuple(options.read_only),
        uid=options.uid,
        memory_mb=options.memory,
        keep_fds=(0, 1, 2),
        network=False,
        unix_sockets=True,
        thread_scheduling=True,  # libzmq's I/O threads set their own scheduling at start
    )
    # the kernel manager made it (and passes its name only when this machine has cgroups)
    cgroup = sandbox.Cgroup(options.cgroup, options.memory, pids_max=options.pids) if options.cgroup else None
    sandbox.enter(policy, cgroup)

    no_subprocess_output_pipe()
    if module == "ipykernel_launcher":  # cells run as the runner runs them: shell escapes refused, cwd importable
        args.append("--InteractiveShellApp.extra_extensions=graders.run.child")
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def no_subprocess_output_pipe() -> None:
    """Keeps ipykernel from binding its pipe for forked subprocesses' output.

    That pipe is a TCP socket on 127.0.0.1, which the sandbox forbids (zmq then
    aborts the kernel), and it would serve processes the sandbox does not let
    the kernel start anyway.
    """
    try:
        from ipykernel import iostream
    except ImportError:  # another kernel than ipykernel: nothing to adjust
        return
    original = iostream.IOPubThread.__init__

    def without_pipe(self, socket, pipe=False, *args, **kwargs):
        original(self, socket, False, *args, **kwargs)

    iostream.IOPubThread.__init__ = without_pipe


if __name__ == "__main__":
    main()
