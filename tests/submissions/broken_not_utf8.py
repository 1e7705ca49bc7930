# expect: practice1=0 practice2=0
# error: not UTF-8
# A file saved in Latin-1 by an old editor.
# Nothing can run: practice 1: 0, practice 2: 0, with the reason as the submission's error.
import keras
# auteur : François
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
