# expect: practice1=0 practice2=0
# note: ModuleNotFoundError
# feedback: practice1: is not defined because your code stopped with ModuleNotFoundError: No module named 'keras_helpers'
# A helper module that only exists on the student's laptop.
# The import fails at the top, before either function is defined: practice 1: 0, practice 2: 0
#   (each with the ModuleNotFoundError as its reason).
import keras
from keras import layers
from keras_helpers import plot_everything

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
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
