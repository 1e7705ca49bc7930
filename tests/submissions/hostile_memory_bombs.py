# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: build_sequential_model()
# feedback: practice1: emory
# Attack on the machine's memory. At import: bytearray(10 GB) and np.empty of 8 GB (refused by the
# address-space limit; the MemoryError is caught). In build_sequential_model: a 1.9 GB numpy array
# filled page by page, so the memory is really used, within the address-space limit but beyond the
# 2,000 MB the submission may use: either the allocation fails ("raised MemoryError", here the
# usual case) or the memory cgroup kills the child ("used more than 2,000 MB of memory"); the
# feedback line "emory" matches both.
# practice 1: 0. practices 2 and 3 (rerun in a fresh child): honest answers, 10 + 10.
import csv
from pathlib import Path

import numpy as np

import keras
from keras import layers

try:
    bomb = bytearray(10 * 2**30)
except MemoryError:
    bomb = None
try:
    array = np.empty(2**30, dtype=np.float64)
except MemoryError:
    array = None


def build_sequential_model():
    hog = np.empty(int(1.9 * 2**30), dtype=np.uint8)
    for start in range(0, hog.size, 2**26):
        hog[start:start + 2**26] = 1
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])


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
