# expect: practice1=10 practice2=5.82
# feedback: practice2: Expected a functional keras.Model, found a keras.Sequential model
# feedback: practice2: Missing layer: L4 should be AveragePooling2D
# A Sequential model cannot branch, so the shortcut is left out.
# practice 2: API 0; input 0.5; layers 1.5 x 5/7 = 1.07 (L4 and L5 missing); connections: of the
#   four present layers that take an input, L6 takes the max pool instead of the Add, 3 x 3/4 =
#   2.25; whole graph 0; settings 1.5 (L2, L3 and L7 right; the missing L4 is charged under layers
#   only); shapes 0.25; parameters 0.25; 0 + 0.5 + 1.07 + 2.25 + 0 + 1.5 + 0.25 + 0.25 = 5.82.
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
