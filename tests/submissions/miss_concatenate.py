# expect: practice1=10 practice2=7.56
# feedback: practice2: L5: expected Add, found Concatenate
# The branches are concatenated instead of added.
# practice 1: spec 1, 10.
# practice 2: the Concatenate plays L5 (a changed kind on spec 2's wiring): layers 1.5 x 6/7 =
#   1.29; connections 3 (L5 takes L3's and L4's counterparts); whole graph 0; settings 1.5 (L2,
#   L3, L4, L7 right); shapes: L6 gives (None, 6) for (None, 3), 0.25 x 5/6 = 0.21; parameters:
#   the Dense on 6 inputs has 70 for 40, total 154 for 124 (0), L2 right and L7 wrong:
#   0.25 x 0.5 x 1/2 = 0.0625, shown as 0.06; 1 + 0.5 + 1.29 + 3 + 0 + 1.5 + 0.21 + 0.06 = 7.56.
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
    x = layers.Concatenate()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
