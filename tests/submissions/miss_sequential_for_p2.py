# expect: practice1=10 practice2=4.69
# feedback: practice2: Expected a functional keras.Model, found a keras.Sequential model
# feedback: practice2: Missing layer: L4 should be AveragePooling2D
# A Sequential model cannot branch, so the shortcut is left out.
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
    return keras.Sequential([
        keras.Input(shape=(48, 48, 3)),
        layers.Conv2D(3, 3, padding="same", activation="relu"),
        layers.MaxPool2D(2, 2),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
