"""Reference answer of practice 3: the checkpoint with the smallest val_loss."""

import csv
from pathlib import Path


def find_best_checkpoint(checkpoint_dir):
    """Returns the path (str) of the checkpoint in ``checkpoint_dir`` with the smallest val_loss.

    Checkpoints are named ``{epoch:02d}-{val_loss:.2f}`` plus ``.keras``, ``.h5`` or
    ``.weights.h5`` (``save_weights_only=True``), epochs counted from 1; past epoch
    99 the epoch has three digits, so names are split at the first "-", never cut
    at fixed positions or sorted as text. The names round val_loss to two
    decimals, so when the run's ``history.csv`` (Keras' CSVLogger: epochs counted
    from 0) lies beside them, its exact values decide; otherwise the names do.
    The path is ``checkpoint_dir`` joined with the file name, so it opens from
    wherever the function was called.

    Raises FileNotFoundError when the directory holds no checkpoint.
    """
    folder = Path(checkpoint_dir)
    extensions = (".weights.h5", ".keras", ".h5")  # the longest first: ".weights.h5" ends in ".h5" too
    checkpoints = {}
    for path in folder.iterdir():
        extension = next((e for e in extensions if path.name.endswith(e)), None)
        if extension is not None:
            epoch, shown_loss = path.name[: -len(extension)].split("-", 1)
            checkpoints[path] = (int(epoch), float(shown_loss))
    if not checkpoints:
        raise FileNotFoundError(f"no .keras, .h5 or .weights.h5 checkpoints in {folder}")

    log = folder / "history.csv"
    if log.exists():
        with open(log, newline="") as handle:
            val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
        best = min(checkpoints, key=lambda path: val_loss[checkpoints[path][0]])
    else:
        best = min(checkpoints, key=lambda path: checkpoints[path][1])
    return str(best)
