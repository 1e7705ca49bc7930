# expect: practice3=5
# feedback: practice3: On every directory, your function returned the right checkpoint as a bare file name
# feedback: practice3: os.path.join(checkpoint_dir, name)
# Trap: the bare file name. The function picks the right file everywhere (it reads history.csv
# and splits names at the first "-"), but returns only the file's name. That opens only from
# inside the checkpoint folder, not from where the function was called, so
# keras.models.load_model(find_best_checkpoint(d)) would fail.
# practice 3: the right file as a bare name earns half of each directory's points: 10 / 2 = 5
# (2/2 + 1.5/2 x 4 + 1/2 x 2 = 1 + 3 + 1).
import csv
import os


def find_best_checkpoint(checkpoint_dir):
    with open(os.path.join(checkpoint_dir, "history.csv"), newline="") as handle:
        # CSVLogger counts epochs from 0, the file names from 1
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    names = [n for n in os.listdir(checkpoint_dir) if n.endswith((".keras", ".h5"))]
    return min(names, key=lambda n: val_loss[int(n.split("-", 1)[0])])
