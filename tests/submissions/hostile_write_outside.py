# expect: practice1=10 practice2=10 practice3=10
# Attack: writing outside its own workdir. It tries to create "hostile-marker" files in /tmp,
# /var/tmp, /dev/shm, /root, /etc, the repository (root, reference/, tests/submissions/,
# graders/), the job folder above its workdir, its read-only hidden checkpoint copies, and
# site-packages (a .pth file there would run in every later Python process, the grader's
# included); to append to reference/practice1.py and graders/__init__.py; to create
# sitecustomize.py; and to raise its own cgroup limits or leave its cgroup through /sys/fs/cgroup.
# tests/test_hostile.py checks afterwards that no marker exists and reference/ is unchanged.
# Any write that succeeds here makes the functions below raise "WROTE: ..." and score 0.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import glob
import os
import site
import sys
from pathlib import Path

import keras
from keras import layers

MARKER = "hostile-marker"
wrote = []
folders = ["/tmp", "/var/tmp", "/dev/shm", "/root", "/etc", "/work/main", "/work/main/reference",
           "/work/main/tests/submissions", "/work/main/graders", "..", "../hidden-practice3",
           *glob.glob("../hidden-practice3/*"), *site.getsitepackages(), sys.prefix]
for folder in folders:
    for name in (MARKER, MARKER + ".pth"):
        try:
            with open(os.path.join(folder, name), "x") as handle:
                handle.write("# hostile-marker\n")
            wrote.append(os.path.join(folder, name))
        except OSError:
            pass
for path in ["/work/main/reference/practice1.py", "/work/main/graders/__init__.py",
             *[os.path.join(p, "sitecustomize.py") for p in site.getsitepackages()]]:
    try:
        with open(path, "a") as handle:
            handle.write("\n# hostile-marker\n")
        wrote.append(path)
    except OSError:
        pass
cgroup_files = []
for depth in ("", "*/", "*/*/"):
    cgroup_files += glob.glob(f"/sys/fs/cgroup/memory/{depth}graders/*/memory.limit_in_bytes")
    cgroup_files += glob.glob(f"/sys/fs/cgroup/pids/{depth}graders/*/pids.max")
cgroup_files += glob.glob("/sys/fs/cgroup/*/cgroup.procs")
for path in cgroup_files:
    try:
        with open(path, "w") as handle:
            handle.write("max" if path.endswith("pids.max") else "-1" if path.endswith("limit_in_bytes") else str(os.getpid()))
        wrote.append(path)
    except OSError:
        pass


def _check():
    if wrote:
        raise RuntimeError(f"WROTE: {wrote[:4]}")


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
