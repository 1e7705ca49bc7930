# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: cannot rebuild
# Attack: a custom layer class, registered with keras.saving under the package name "keras.layers"
# and the name "Dense" so that its serialised form looks like the built-in Dense. It computes
# something else entirely (a constant), and rebuilding it would need its Python code. The
# allow-list checks the module and registered name, not only the class name.
# practice 1: 0 (the model cannot be graded). practices 2 and 3: honest answers, 10 + 10.
import csv
from pathlib import Path

import keras
from keras import layers


@keras.saving.register_keras_serializable(package="keras.layers", name="Dense")
class FakeDense(layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = activation

    def call(self, inputs):
        return keras.ops.zeros((keras.ops.shape(inputs)[0], self.units))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation}


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        FakeDense(128, activation="relu"),
        layers.Dropout(0.2),
        FakeDense(64, activation="relu"),
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
