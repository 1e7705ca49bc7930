# expect: practice3=8.5
# feedback: practice3: On the 'three-digit epochs' directory, your function returned the checkpoint that a val_loss read at fixed positions of the names points to
# feedback: practice3: split the name at the first '-'
# Trap: three-digit epochs. The function reads the val_loss at the positions a two-digit epoch
# puts it ("07-0.43.keras"[3:7] is "0.43"). On "100-..." the same slice reads "-0.4", a negative
# number, so a three-digit epoch that is not the best wins.
# practice 3: every directory is right but 'three-digit epochs' (1.5 points):
# 2 (public) + 1.5 + 1.5 + 1.5 (ties, newest, two-digit val_loss) + 1 + 1 (.h5, .weights.h5) = 8.5.
# (On 'ties in the rounded names' it picks whichever of the two files named 0.43 it meets first:
# the exact minimum, or the other one, accepted with a note; full points either way.)
import os


def find_best_checkpoint(checkpoint_dir):
    names = [n for n in os.listdir(checkpoint_dir) if n.endswith((".keras", ".h5"))]
    return os.path.join(checkpoint_dir, min(names, key=lambda n: float(n[3:7])))
