# expect: practice1=10 practice2=7.79
# feedback: practice2: L6: expected GlobalAveragePooling2D, found GlobalMaxPooling2D
# feedback: practice2: Your layers are connected as in spec 2, but not all of them are of the spec's kind: L6 should be GlobalAveragePooling2D, your GlobalMaxPooling2D
# Spec 2's wiring with a global max pool where the spec has a global average pool. The whole graph
# is lost (kinds and wiring, all or nothing), and its message says that the kinds differ, not the
# wiring.
# practice 1: spec 1, 10.
# practice 2: layers 1.5 x 6/7 = 1.29; connections 3; whole graph 0; settings 1.5; shapes 0.25 and
#   parameters 0.25 (a global pool has no weights and the same output shape);
#   1 + 0.5 + 1.29 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.79.
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
    x = layers.GlobalMaxPooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
