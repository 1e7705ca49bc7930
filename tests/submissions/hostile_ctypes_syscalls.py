# expect: practice1=10 practice2=10 practice3=10
# Attack: calling the kernel directly through ctypes, where no Python-level check stands in the
# way: ptrace(PTRACE_ATTACH/PTRACE_SEIZE) on its parent, process_vm_readv of the parent's memory,
# mount (a tmpfs, a bind of /work over its workdir), unshare(CLONE_NEWUSER|CLONE_NEWNS) to become
# root in a new user namespace, setuid(0)/setresuid(0), chroot, pidfd_open + pidfd_getfd on the
# parent, a raw clone() without CLONE_THREAD (a new process), clone3, io_uring_setup,
# bpf, keyctl, personality, userfaultfd, perf_event_open and open_by_handle_at.
# Every call must be refused. Any that succeeds makes the functions below raise "SYSCALL: ..."
# (score 0). (x86_64 numbers; on other machines the calls are skipped and the answers stand.)
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import ctypes
import os
import platform
from pathlib import Path

import keras
from keras import layers

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
NR = {"ptrace": 101, "process_vm_readv": 310, "mount": 165, "unshare": 272, "setuid": 105,
      "setresuid": 117, "chroot": 161, "pidfd_open": 434, "pidfd_getfd": 438, "clone": 56,
      "clone3": 435, "io_uring_setup": 425, "bpf": 321, "keyctl": 250, "personality": 135,
      "userfaultfd": 323, "perf_event_open": 298, "open_by_handle_at": 304}
succeeded = []


class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def _call(label, name, *args):
    result = libc.syscall(ctypes.c_long(NR[name]), *args)
    if result >= 0:
        succeeded.append(f"{label} -> {result}")
    return result


if platform.machine() == "x86_64":
    parent = os.getppid()
    _call("ptrace attach", "ptrace", ctypes.c_long(16), ctypes.c_long(parent), None, None)
    _call("ptrace seize", "ptrace", ctypes.c_long(0x4206), ctypes.c_long(parent), None, None)
    buffer = ctypes.create_string_buffer(64)
    local, remote = IOVec(ctypes.addressof(buffer), 64), IOVec(0x400000, 64)
    _call("process_vm_readv", "process_vm_readv", ctypes.c_long(parent), ctypes.byref(local),
          ctypes.c_ulong(1), ctypes.byref(remote), ctypes.c_ulong(1), ctypes.c_ulong(0))
    _call("mount tmpfs", "mount", b"none", b".", b"tmpfs", ctypes.c_ulong(0), None)
    _call("bind /work", "mount", b"/work", b".", None, ctypes.c_ulong(4096), None)
    _call("unshare user+mount", "unshare", ctypes.c_long(0x10000000 | 0x00020000))
    _call("setuid 0", "setuid", ctypes.c_long(0))
    _call("setresuid 0", "setresuid", ctypes.c_long(0), ctypes.c_long(0), ctypes.c_long(0))
    _call("chroot", "chroot", b".")
    pidfd = _call("pidfd_open parent", "pidfd_open", ctypes.c_long(parent), ctypes.c_long(0))
    if pidfd >= 0:
        _call("pidfd_getfd", "pidfd_getfd", ctypes.c_long(pidfd), ctypes.c_long(3), ctypes.c_long(0))
    # a raw clone(SIGCHLD) returns in both processes: the child leaves at once
    pid = libc.syscall(ctypes.c_long(NR["clone"]), ctypes.c_long(17), None, None, None, None)
    if pid == 0:
        os._exit(0)
    if pid > 0:
        succeeded.append(f"clone -> {pid}")
    args = (ctypes.c_uint64 * 11)(0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0)
    pid = libc.syscall(ctypes.c_long(NR["clone3"]), args, ctypes.c_size_t(88))
    if pid == 0:
        os._exit(0)
    if pid > 0:
        succeeded.append(f"clone3 -> {pid}")
    params = ctypes.create_string_buffer(120)
    _call("io_uring_setup", "io_uring_setup", ctypes.c_long(8), params)
    _call("bpf", "bpf", ctypes.c_long(0), ctypes.create_string_buffer(128), ctypes.c_long(128))
    _call("keyctl", "keyctl", ctypes.c_long(0), ctypes.c_long(-3), ctypes.c_long(0))
    _call("personality", "personality", ctypes.c_long(0x0040000))
    _call("userfaultfd", "userfaultfd", ctypes.c_long(0))
    _call("perf_event_open", "perf_event_open", ctypes.create_string_buffer(128), ctypes.c_long(-1),
          ctypes.c_long(0), ctypes.c_long(-1), ctypes.c_long(0))
    _call("open_by_handle_at", "open_by_handle_at", ctypes.c_long(-100), ctypes.create_string_buffer(136),
          ctypes.c_long(0))


def _check():
    if succeeded:
        raise RuntimeError(f"SYSCALL: {succeeded[:4]}")


def build_sequential_model():
    _check()
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    _check()
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    _check()
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
