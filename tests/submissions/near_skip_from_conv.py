# expect: practice1=10 practice2=7.5
# feedback: practice2: should take L1 (the input)
# feedback: practice2: which plays L2
# The shortcut is pooled from the conv's output instead of the input: no skip connection.
# practice 1: spec 1, 10.
# practice 2: every layer keeps its kind (the alignment: one connection lost, one new); L4 takes
#   L2's counterpart instead of the input: connections 3 x 5/6 = 2.5; whole graph 0; shapes and
#   parameters unchanged; 1 + 0.5 + 1.5 + 2.5 + 0 + 1.5 + 0.25 + 0.25 = 7.5.
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
    conv = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(conv)
    shortcut = layers.AvgPool2D(2, 2)(conv)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
