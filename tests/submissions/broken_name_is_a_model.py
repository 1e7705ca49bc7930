# expect: practice1=0 practice2=10
# feedback: practice1: build_sequential_model is a Sequential object, not a function
# The name is bound to a model, not to a function that builds one.
# practice 1: a model is not a function the grader can call, 0.
# practice 2: spec 2, every rubric line full: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import keras
from keras import layers

build_sequential_model = keras.Sequential([
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
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
