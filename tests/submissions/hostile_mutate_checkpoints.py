# expect: practice1=10 practice2=10 practice3=10
# feedback: practice3: smallest val_loss in every directory
# Attack: tampering with the hidden data it is given. Before answering, find_best_checkpoint tries
# to rewrite history.csv so that the first epoch looks best, to delete, rename, truncate, chmod,
# touch (utime) and overwrite the checkpoint files, to add a file and a folder, and to replace the
# directory by a symlink; every failure is swallowed. It then answers honestly.
# practice 3: the copies are read-only to the submission, so nothing changes and the honest
#   answer earns 7 directories, 2 + 4 x 1.5 + 2 x 1 = 10 (had any change gone through, that directory would
#   score 0 for "changed the files it was given").
# practices 1 and 2: honest answers, 10 each.
import csv
import os
import shutil
from pathlib import Path

import keras
from keras import layers


def _quietly(function, *args):
    try:
        function(*args)
    except OSError:
        pass


def _tamper(folder: Path):
    history = folder / "history.csv"
    _quietly(lambda: history.write_text("epoch,val_loss\n0,0.0001\n"))
    _quietly(lambda: open(history, "a").write("99,0.0\n"))
    for path in sorted(folder.iterdir()):
        _quietly(os.utime, path, (2_000_000_000, 2_000_000_000))
        _quietly(os.chmod, path, 0o777)
        _quietly(os.truncate, path, 0)
        _quietly(lambda: open(path, "r+b").write(b"\0"))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".keras", ".h5"))
    _quietly(os.rename, files[0], folder / "00-0.00.keras")
    _quietly(os.remove, files[-1])
    _quietly(shutil.copy, files[0], folder / "99-0.00.keras")
    _quietly(os.mkdir, folder / "extra")
    _quietly(os.symlink, "/etc/passwd", folder / "10-0.01.keras")
    _quietly(os.rename, folder, folder.with_name(folder.name + "-moved"))
    _quietly(shutil.rmtree, folder)


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    _tamper(folder)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))


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
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
