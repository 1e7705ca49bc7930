# expect: practice1=0 practice2=10 practice3=0
# feedback: practice1: the grader could not rebuild your answer
# Attack on the grader's trusted rebuild, by time: build_sequential_model returns a small model
# whose to_json is replaced by a description with twelve Dense(4000) layers initialised with
# Orthogonal (a QR decomposition of a 4000 x 4000 matrix each): cheap to describe, far more than
# the timeout to rebuild. The examine child rebuilds practice 1 first and is stopped at the
# timeout; practice 2's honest evidence, which that child had not reached yet, must still be
# examined (in a fresh child), so only practice 1 pays.
# practice 1: 0. practice 2: an honest answer, 10.
# practice 3: find_best_checkpoint is not defined, 0.
import json

import keras
from keras import layers

ORTHOGONAL = {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None},
              "registered_name": None}


def build_sequential_model():
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    config = json.loads(model.to_json())
    *front, last = config["config"]["layers"]
    last.pop("build_config", None)
    for index in range(12):
        big = json.loads(json.dumps(last))
        big["config"].update(name=f"slow_{index}", units=4000, activation="relu", kernel_initializer=ORTHOGONAL)
        front.append(big)
    config["config"]["layers"] = [*front, last]
    text = json.dumps(config)
    model.to_json = lambda **kwargs: text
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
