# expect: practice3=9
# feedback: practice3: find_best_checkpoint raised ValueError: min() arg is an empty sequence
# feedback: practice3: on the 'weights-only .weights.h5 files' directory. This directory holds weights-only checkpoints
# feedback: practice3: they are checkpoints too
# Trap: weights-only files. The function's pattern knows "NN-V.VV.keras" and "NN-V.VV.h5" only;
# a run saved with save_weights_only=True writes "NN-V.VV.weights.h5", which the pattern does not
# match, so that directory looks empty and min() raises.
# practice 3: every directory is right but 'weights-only .weights.h5 files' (1 point):
# 2 (public) + 1.5 x 4 (ties, newest, two-digit val_loss, three-digit epochs) + 1 (.h5) = 9.
import os
import re

PATTERN = re.compile(r"(\d+)-([\d.]+)\.(keras|h5)$")


def find_best_checkpoint(checkpoint_dir):
    losses = {}
    for name in os.listdir(checkpoint_dir):
        match = PATTERN.match(name)
        if match:
            losses[name] = float(match.group(2))
    return os.path.join(checkpoint_dir, min(losses, key=losses.get))
