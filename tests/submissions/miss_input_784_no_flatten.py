# expect: practice1=8.4 practice2=10
# feedback: practice1: Input shape: expected (None, 28, 28), found (None, 784)
# feedback: practice1: Missing layer: layer 1 should be Flatten
# Flat vectors of 784 as input, so no Flatten layer.
# practice 1: input shape 0; Flatten missing: layers 3 x 4/5 = 2.4; settings 3 (the Dense and
#   Dropout layers are right); shapes 1; Dense(128) still has 784 x 128 + 128 = 100,480, the total
#   109,386: parameters 1; 1 + 0 + 2.4 + 3 + 1 + 1 = 8.4.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", input_shape=(784,)))
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
