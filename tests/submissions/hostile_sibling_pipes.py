# expect: practice1=10 practice2=10 practice3=10
# Attack: other children's pipes and the grader's descriptors. It lists /proc/self/fd, fstat()s
# every descriptor number up to 1024, and tries to read from every descriptor that is a pipe or
# socket other than its own channel (a sibling's event pipe inherited by mistake would carry a
# classmate's answers); it also tries /proc/<pid>/fd/* of its parent and of every visible process,
# and /proc/<pid>/fdinfo. Any byte read from a descriptor it did not open itself, or any
# descriptor of another process opened, makes the functions below raise "LEAK: ..." (score 0).
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import fcntl
import os
import select
import stat
from pathlib import Path

import keras
from keras import layers


def _listdir(path):
    # the sandbox may refuse to list /proc at all: then there is nothing to attack
    try:
        return os.listdir(path)
    except OSError:
        return []


leaks = []
for fd in range(3, 1024):
    try:
        info = os.fstat(fd)
        mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
    except OSError:
        continue
    if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode)) or mode == os.O_WRONLY:
        continue  # its own channel is the write end of a pipe: nothing to read there
    try:
        if select.select([fd], [], [], 0)[0] and os.read(fd, 4096):
            leaks.append(f"read from fd {fd}")
    except OSError:
        pass
for name in _listdir("/proc"):
    if not name.isdigit() or int(name) == os.getpid():
        continue
    try:
        for fd in os.listdir(f"/proc/{name}/fd"):
            try:
                os.close(os.open(f"/proc/{name}/fd/{fd}", os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
                leaks.append(f"opened /proc/{name}/fd/{fd}")
                break
            except OSError:
                pass
    except OSError:
        pass
    if len(leaks) > 3:
        break


def _check():
    if leaks:
        raise RuntimeError(f"LEAK: {leaks[:4]}")


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
