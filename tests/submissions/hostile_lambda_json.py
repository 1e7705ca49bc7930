# expect: practice1=0 practice2=10 practice3=0
# feedback: practice1: cannot rebuild
# Attack: code smuggled into the description. build_sequential_model returns a correct model
# whose to_json is replaced: the first Dense layer's activation becomes a serialised Python
# lambda ({"class_name": "__lambda__", "config": {"code": <base64 bytecode>}}) and its
# kernel_initializer a "function"/"function_type" pair, as an old-style Lambda layer would carry.
# Rebuilding would run that bytecode in the grader's child; the allow-list refuses it first.
# practice 1: 0 (the model cannot be graded). practice 2: an honest answer, 10.
# practice 3: find_best_checkpoint is not defined, 0.
import base64
import json
import marshal

import keras
from keras import layers

CODE = base64.b64encode(marshal.dumps((lambda x: __import__("os").system("touch /tmp/hostile-marker-json") or x).__code__)).decode()


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    config = json.loads(model.to_json())
    dense = config["config"]["layers"][2]["config"]
    dense["activation"] = {"class_name": "__lambda__", "config": {"code": CODE, "defaults": None, "closure": None}}
    dense["kernel_initializer"] = {"class_name": "GlorotUniform", "module": "keras.initializers",
                                   "config": {"seed": None}, "function": CODE, "function_type": "lambda"}
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
