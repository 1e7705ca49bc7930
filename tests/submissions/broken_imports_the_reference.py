# expect: practice1=0 practice2=10
# feedback: practice1: build_sequential_model is not defined
# The reference answers do not ship in the installed package any more, and the course's
# reference/ folder is unreadable from a submission's sandbox: both ways of taking the
# reference answer fail, and only the student's own practice 2 earns points.
# practice 1: not defined, 0.
# practice 2: spec 2, every rubric line full: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import importlib
from pathlib import Path

import keras
from keras import layers

try:
    build_sequential_model = importlib.import_module("graders.reference.practice1").build_sequential_model
except ImportError:
    pass

for folder in [Path.cwd(), *Path.cwd().parents, Path(keras.__file__).parents[4]]:
    try:
        exec((folder / "reference" / "practice1.py").read_text())
        break
    except OSError:
        continue


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2)(x)
    shortcut = layers.AvgPool2D(2)(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
