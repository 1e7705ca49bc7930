# expect: practice1=10 practice2=10 practice3=10
# Attack: new processes, to escape the limits or outlive the grading. It tries subprocess.run,
# os.system, os.popen, os.fork, os.posix_spawn, pty.fork, multiprocessing.Process (fork and
# spawn) and os.execv of a harmless program; each child, if one ever started, would sleep for two
# minutes (so tests/test_hostile.py finds it left behind). Any process that starts makes the
# functions below raise "SPAWNED: ..." and score 0.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import keras
from keras import layers

spawned = []


def _sleeper():
    time.sleep(120)


def _fork():
    pid = os.fork()
    if pid == 0:
        time.sleep(120)
        os._exit(0)
    spawned.append(f"fork {pid}")


def _multiprocessing(method):
    process = multiprocessing.get_context(method).Process(target=_sleeper, daemon=False)
    process.start()
    spawned.append(f"multiprocessing {method} {process.pid}")


ATTEMPTS = {
    "subprocess": lambda: spawned.append(f"subprocess {subprocess.Popen(['sleep', '120']).pid}"),
    "os.system": lambda: os.system("sleep 120 &") == 0 and spawned.append("os.system"),
    "os.popen": lambda: os.popen("echo spawned").read() and spawned.append("os.popen"),
    "fork": _fork,
    "posix_spawn": lambda: spawned.append(f"posix_spawn {os.posix_spawn('/bin/sleep', ['sleep', '120'], os.environ)}"),
    "multiprocessing fork": lambda: _multiprocessing("fork"),
    "multiprocessing spawn": lambda: _multiprocessing("spawn"),
}
for name, attempt in ATTEMPTS.items():
    try:
        attempt()
    except Exception:
        pass
try:
    import pty

    pid, _ = pty.fork()
    if pid == 0:
        time.sleep(120)
        os._exit(0)
    spawned.append(f"pty.fork {pid}")
except Exception:
    pass
try:  # replacing the process itself: if it worked, nothing below would run at all
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)"])
except Exception:
    pass


def _check():
    if spawned:
        raise RuntimeError(f"SPAWNED: {spawned[:4]}")


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
