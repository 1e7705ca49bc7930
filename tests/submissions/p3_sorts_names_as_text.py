# expect: practice3=8.5
# feedback: practice3: On the 'three-digit epochs' directory, your function returned the file at the best epoch's position when the names are sorted as text
# feedback: practice3: sort by the epoch as a number
# Trap: three-digit epochs. The function finds the best row of history.csv, then takes the file at
# that position of the names sorted as text. That works while every epoch has two digits; past
# epoch 99 "100-..." sorts before "11-...", so the position names another file.
# practice 3: every directory is right but 'three-digit epochs' (1.5 points):
# 2 (public) + 1.5 + 1.5 + 1.5 (ties, newest, two-digit val_loss) + 1 + 1 (.h5, .weights.h5) = 8.5.
import csv
import os


def find_best_checkpoint(checkpoint_dir):
    with open(os.path.join(checkpoint_dir, "history.csv"), newline="") as handle:
        losses = [float(row["val_loss"]) for row in csv.DictReader(handle)]
    names = sorted(n for n in os.listdir(checkpoint_dir) if n.endswith((".keras", ".h5")))
    return os.path.join(checkpoint_dir, names[losses.index(min(losses))])
