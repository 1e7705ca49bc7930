# expect: practice1=10 practice2=10 practice3=0
# Attack: let the grader do the work. The graders package is importable in the submission's
# process, and graders.checkpoints.CheckpointRun(directory).best is the grader's own answer to
# practice 3 (it reads history.csv exactly as the scorer does). The contract check refuses a
# find_best_checkpoint *imported* from graders, so this one wraps the grader's answer in a
# function of its own.
# practice 3: the student wrote no search of their own; a call to the grader's own answer must
#   not earn marks: 7 directories x 0 = 0.
# practices 1 and 2: honest answers, 10 each.
import keras
from keras import layers

from graders.checkpoints import CheckpointRun


def find_best_checkpoint(checkpoint_dir):
    return str(CheckpointRun(checkpoint_dir).best.path)


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
