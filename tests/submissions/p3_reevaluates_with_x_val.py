# expect: practice3=0
# feedback: practice3: NameError: name 'x_val' is not defined
# feedback: practice3: the grader's checkpoint directories come without training data
# feedback: practice3: Pick the file by its recorded val_loss
# feedback: practice3: Your function failed inside Keras
# Trap: re-evaluating. The function loads every checkpoint and evaluates it on the validation
# data, which exists in the student's notebook but not where the grader calls the function:
# x_val is not defined (NameError). On the weights-only directory load_model fails first (a
# .weights.h5 file holds no model), inside Keras. Both failures get a line that says why this
# strategy cannot work on the grader's directories and is not required.
# practice 3: the function raises on every directory: 0.
import os

import keras


def find_best_checkpoint(checkpoint_dir):
    losses = {}
    for name in sorted(os.listdir(checkpoint_dir)):
        if name.endswith((".keras", ".h5")):
            path = os.path.join(checkpoint_dir, name)
            losses[path] = keras.models.load_model(path).evaluate(x_val, y_val, verbose=0)[0]  # noqa: F821
    return min(losses, key=losses.get)
