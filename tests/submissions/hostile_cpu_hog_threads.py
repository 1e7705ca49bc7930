# expect: practice1=10 practice2=10 practice3=10
# Attack on classmates' time: for 8 seconds at import it runs 32 threads that hash a 4 MB buffer
# in a loop (hashlib releases the GIL, so they really use every core), to starve the submission
# graded at the same time in the other slot, whose deadline keeps running; then it stops them
# and answers honestly. The honest samples graded in the same batch must keep their scores
# (tests/test_hostile.py and every ok_* sample check that), and this one, well within its own
# 20 s, keeps all its marks: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import hashlib
import threading
import time
from pathlib import Path

import keras
from keras import layers

stop = time.monotonic() + 8
data = b"\xa5" * (4 << 20)


def _burn():
    while time.monotonic() < stop:
        hashlib.sha256(data).digest()


workers = [threading.Thread(target=_burn) for _ in range(32)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()


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


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
