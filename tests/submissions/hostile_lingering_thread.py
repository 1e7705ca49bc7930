# expect: practice1=10 practice2=10 practice3=10
# Attack: work that goes on after the function returned. build_sequential_model starts a
# non-daemon thread that never ends: it keeps trying to rewrite the hidden history.csv files
# (so that a later practice, or the grader's check after the run, sees them changed), keeps
# allocating and freeing memory. The process must still end when the grader is done
# with it (the thread must not keep the child, or its slot, alive) and no score may change.
# (It writes nothing on the channel: a second writer could split the grader's own long lines.)
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import threading
import time
from pathlib import Path

import keras
from keras import layers


def _forever():
    while True:
        for history in Path("..").glob("hidden-practice3/*/history.csv"):
            try:
                history.write_text("epoch,val_loss\n0,0.0\n")
            except OSError:
                pass
        _ = bytearray(16 << 20)
        time.sleep(0.05)


def build_sequential_model():
    threading.Thread(target=_forever, daemon=False).start()
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
