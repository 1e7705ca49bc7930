# expect: practice1=10 practice2=10 practice3=0
# feedback: practice3: not one of the checkpoint files
# Attack: links in the workdir. At import it makes symlinks from its workdir to the reference
# answers, the repository, /root and the grader's session folder, and tries to read through them
# (a successful read makes practice 1 raise "LEAK: ..."); it also tries hard links to the hidden
# checkpoint copies (a hard link would let it chown or rewrite them after the grader chowns the
# workdir for the next child). find_best_checkpoint finds the best file honestly, then returns a
# symlink in its own workdir that points at it ("best.keras"), so the grader would have to follow
# a link the student controls to accept it.
# practice 3: the returned path is not a file of the directory it was given (the grader never
#   follows links out of a student's folder): 7 directories x 0 = 0.
# practices 1 and 2: honest answers, 10 each.
import csv
import os
from pathlib import Path

import keras
from keras import layers

leaks = []
TARGETS = {
    "ref1.py": "/work/main/reference/practice1.py",
    "repo": "/work/main",
    "root": "/root",
    "session": os.path.realpath("../.."),
    "parent_cwd": f"/proc/{os.getppid()}/cwd",
}
for name, target in TARGETS.items():
    try:
        os.symlink(target, name)
    except OSError:
        continue
    try:
        if os.path.isdir(name):
            if os.listdir(name):
                leaks.append(name)
        else:
            with open(name) as handle:
                if handle.read(10):
                    leaks.append(name)
    except OSError:
        pass
for source in Path("../hidden-practice3").glob("*/*"):
    try:
        os.link(source, f"hard-{source.parent.name}-{source.name}")
        leaks.append(f"hard link to {source}")
    except OSError:
        pass


def build_sequential_model():
    if leaks:
        raise RuntimeError(f"LEAK: {leaks}")
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    best = min(epochs, key=lambda p: val_loss[epochs[p]])
    link = Path.cwd() / f"best-{folder.name}{best.suffix}"
    if not link.is_symlink():
        link.symlink_to(best.resolve())
    return str(link)
