# expect: practice1=10 practice2=7.57
# feedback: practice2: L3: expected MaxPooling2D
# feedback: practice2: L4: expected AveragePooling2D
# feedback: practice2: Your layers are connected as in spec 2, but not all of them are of the spec's kind
# The average pool on the conv branch and the max pool on the shortcut.
# practice 2: the wiring is spec 2's, so the whole graph's message names the two kinds, not the
#   wiring. Layers 1.5 x 5/7 = 1.07; connections 3; whole graph 0; settings 1.5 (L2 and L7 right;
#   L3 and L4, of another kind, are charged under layers only); shapes 0.25; parameters 0.25;
#   1 + 0.5 + 1.07 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.57.
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
    x = layers.AvgPool2D(2, 2)(x)
    shortcut = layers.MaxPool2D(2, 2)(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
