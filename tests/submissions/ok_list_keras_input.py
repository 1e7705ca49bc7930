# expect: practice1=10 practice2=10
# feedback: practice1: matches spec 1
# feedback: practice2: skip connection included
# The specs themselves:
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
"""A textbook answer: list form, keras.Input, `import keras`."""
import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(pool_size=2, strides=2)(x)
    shortcut = layers.AvgPool2D(pool_size=2, strides=2)(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)
