# expect: practice1=10 practice2=0 practice3=0
# Attack on the system-call filter itself: the same fork() through the other system-call ABIs an
# x86_64 process can use, which a filter written for x86_64 numbers alone would not recognise:
# practice 2 calls fork with the x32 bit set (0x40000000 | 57); practice 3 runs machine code that
# calls the 32-bit fork through "int 0x80" (syscall 2). A filter that knows these ABIs kills the
# process (SIGSYS) or refuses the call. (Killing only the calling thread, libseccomp's default for
# a foreign ABI, leaves a process whose other threads, TensorFlow's, live on: it then ends only at
# the timeout, as practice 2 does here once practice 1 has started those threads.)
# If a fork got through, the function would return the honest answer and score full marks; if the
# filter holds, it scores 0 either way (killed: "was stopped"; refused: returns None).
# practice 1: honest, 10. practices 2 and 3: 0 (a full score would mean the filter was bypassed).
# (x86_64 only; elsewhere both functions return None: 0 as well.)
import csv
import ctypes
import mmap
import os
import platform
from pathlib import Path

import keras
from keras import layers

X86_64 = platform.machine() == "x86_64"
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def _forked(pid):
    if pid == 0:  # the new process: leave at once
        os._exit(0)
    return pid > 0


def x32_fork():
    return _forked(libc.syscall(ctypes.c_long(0x40000000 | 57))) if X86_64 else False


def int80_fork():
    if not X86_64:
        return False
    code = bytes([0xB8, 0x02, 0x00, 0x00, 0x00, 0xCD, 0x80, 0xC3])  # mov eax, 2; int 0x80; ret
    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    function = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
    return _forked(function())


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    if not x32_fork():
        return None
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    if not int80_fork():
        return None
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
