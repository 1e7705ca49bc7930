# expect: practice1=8.83 practice2=10
# feedback: practice1: Extra layer: your layer 5 (Dense
# feedback: practice1: Extra layer
# An extra hidden Dense(32) layer before the output.
# practice 1: the Dense(32) is extra (1 in the diff; pairing it with the spec's Dense(10) and
#   calling the last layer extra costs more): 6 pairs, 5 kept, layers 3 x 5/6 = 2.5; settings 3
#   (the four layers with settings are right); shapes 1 (the output is still (None, 10));
#   parameters: 64 x 32 + 32 = 2,080 and 32 x 10 + 10 = 330, total 111,146 (0), Dense(10) wrong:
#   0.5 x 2/3 = 0.33; 1 + 1 + 2.5 + 3 + 1 + 0.33 = 8.83.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
