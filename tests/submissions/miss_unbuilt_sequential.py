# expect: practice1=7 practice2=10
# feedback: practice1: The model has no input shape: start it with keras.Input(shape=(28, 28))
# No input shape anywhere: the Sequential model is never built.
# practice 1: input shape 0; output shapes and parameter count cannot be checked without an
#   input, 0 and 0; the layers and their settings are spec 1's: 1 + 0 + 3 + 3 + 0 + 0 = 7.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
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
