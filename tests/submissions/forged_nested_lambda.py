# expect: practice1=10 practice2=0
# feedback: practice2: Lambda
# Attack on the allow-list's depth: build_residual_model returns the honest block whose to_json
# wraps the Conv2D in a nested Sequential model (an allowed class) that also holds a Lambda layer
# carrying Python bytecode, as Keras writes it; the Lambda sits two models deep, inside the layer
# list of a layer of the outer model. The allow-list walks the whole description, so the Lambda is
# refused before Keras sees it.
# practice 1: an honest answer, 10. practice 2: 0 (the model cannot be graded).
import json

import keras
from keras import layers


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
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    config = json.loads(model.to_json())
    conv = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Conv2D")
    lambda_layer = {
        "module": "keras.layers", "class_name": "Lambda", "registered_name": None,
        "config": {"name": "smuggled", "function": {"class_name": "__lambda__", "config": {
            "code": "4wEAAAAAAAAAAAAAAAEAAAADAAAA8wYAAACXAHwAUwApAU6pACkB2gF4cwEAAAAg+g8vdG1wL3Jl",
            "defaults": None, "closure": None}}, "arguments": {}},
    }
    inner = {
        "module": "keras", "class_name": "Sequential", "registered_name": None,
        "config": {"name": "wrapper", "layers": [
            {key: conv[key] for key in ("module", "class_name", "registered_name", "config")},
            lambda_layer,
        ]},
    }
    conv.update({key: inner[key] for key in ("module", "class_name", "registered_name", "config")})
    conv.pop("build_config", None)
    forged = json.dumps(config)
    model.to_json = lambda **kwargs: forged
    return model
