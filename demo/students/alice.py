# Alice: every practice right, in her own style.
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential(name="alice_mlp")
    model.add(layers.Flatten(input_shape=(28, 28)))
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def build_residual_model():
    image = keras.Input(shape=(48, 48, 3), name="image")
    conv = layers.Conv2D(filters=3, kernel_size=(3, 3), padding="same", activation="relu")(image)
    main = layers.MaxPooling2D(pool_size=(2, 2))(conv)
    shortcut = layers.AveragePooling2D(pool_size=(2, 2))(image)
    merged = layers.add([shortcut, main])
    pooled = layers.GlobalAveragePooling2D()(merged)
    return keras.Model(image, layers.Dense(10, activation="softmax")(pooled))


def find_best_checkpoint(checkpoint_dir):
    import csv

    checkpoint_dir = Path(checkpoint_dir)
    with open(checkpoint_dir / "history.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = min(int(row["epoch"]) for row in rows)
    best = min(rows, key=lambda row: float(row["val_loss"]))
    epoch = int(best["epoch"]) - first + 1
    return next(p for p in checkpoint_dir.iterdir() if p.name.startswith(f"{epoch:02d}-"))
