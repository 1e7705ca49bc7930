# expect: practice1=10 practice2=10 practice3=0
# feedback: practice1: matches spec 1
# disputed: the score follows the evidence, and here the evidence cannot tell.
# Attack: a Python function *named* relu that computes a sigmoid. Keras itself serialises an
# activation function by its __name__ when that name is one of its own activations, so
# model.to_json() in the student's process says "relu", exactly as for the real relu: the
# evidence describes spec 1, and the model rebuilt from it is spec 1 (it computes relu).
# practice 1: 10, as the evidence describes a correct model (same as forging a correct
#   description, which is doing the work). A grader that must catch this would need to see code,
#   which the evidence-only design rules out; writing activation="relu" is less work anyway.
# practice 2: an honest answer, 10.
# practice 3: find_best_checkpoint is not defined, 0.
import keras
from keras import layers


def relu(x):
    return keras.ops.sigmoid(x)


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation=relu),
        layers.Dropout(0.2),
        layers.Dense(64, activation=relu),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
