"""The lesson's training run: its CNN, its callbacks, a checkpoint per epoch.

``train_lesson_model`` reproduces the lesson's last training cell: Adam,
categorical cross-entropy, ReduceLROnPlateau and EarlyStopping on val_loss, and
a ModelCheckpoint that saves every epoch as ``{epoch:02d}-{val_loss:.2f}.keras``.
Beside the checkpoints it writes ``history.csv`` with the exact val_loss of
each epoch, numbered from 1 like the file names, which is what practice 3's
answer is checked against. The command line runs it as ``graders train``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from graders.checkpoints import CHECKPOINT_NAME, HISTORY_FILE, CheckpointRun
from graders.data import SOURCES, DataUnavailable, import_keras, load_lesson_data
from graders.i18n import _, ngettext

EPOCHS = 30
BATCH_SIZE = 64
# The embedded digits are easy: at Adam's default rate the val_loss creeps
# down for many epochs once the rate is reduced, so the run would be long or
# end on its best epoch. A higher rate overfits sooner; EarlyStopping without
# a min_delta then stops exactly its patience after the minimum, so the last
# checkpoint is never the best one. ReduceLROnPlateau still acts first.
LEARNING_RATE = 3e-3
REDUCE_LR_PATIENCE = 2
EARLY_STOPPING_PATIENCE = 3
EARLY_STOPPING_MIN_DELTA = 0.0
CHECKPOINT_PATTERN = "{epoch:02d}-{val_loss:.2f}.keras"


def build_lesson_cnn(input_shape=(32, 32, 3), classes: int = 10):
    """The lesson's CNN, uncompiled (422,218 parameters for the defaults).

    Conv2D 32 3x3 relu same → MaxPool2D 2 → Conv2D 64 3x3 relu valid →
    MaxPool2D 2 → Flatten → Dense 128 relu → Dense ``classes`` softmax; the
    model itself is :func:`graders.lesson_models.lesson_cnn`.
    """
    import_keras()
    from graders.lesson_models import lesson_cnn

    return lesson_cnn(input_shape, classes)


def train_lesson_model(
    outdir,
    seed: int = 0,
    epochs: int = EPOCHS,
    data=None,
    source: str | None = None,
    verbose: int = 0,
) -> CheckpointRun:
    """Trains the lesson's CNN and saves a checkpoint every epoch in ``outdir``.

    Takes the output directory (created if needed; it must not hold
    checkpoints or a history log already), a ``seed`` (the same seed gives the
    same val_loss history), the most ``epochs`` to run (EarlyStopping usually
    ends sooner), the ``data`` as ``load_lesson_data`` returns it (loaded from
    ``source`` when None) and Keras' fit ``verbose`` level.

    Returns the :class:`CheckpointRun` of ``outdir``: the files, the recorded
    val_loss per epoch and the best epoch.

    Raises FileExistsError when ``outdir`` already holds a training run.

    Makes TensorFlow's operations deterministic for the rest of the process,
    which is what makes runs repeatable.
    """
    outdir = Path(outdir)
    _require_empty(outdir)
    if data is None:
        data = load_lesson_data(source, seed=seed)
    (x_train, y_train), (x_val, y_val), _test = data

    keras = import_keras()
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()

    model = build_lesson_cnn(x_train.shape[1:], y_train.shape[1])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=0.2, patience=REDUCE_LR_PATIENCE, min_lr=1e-7
        ),
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=EARLY_STOPPING_PATIENCE,
            min_delta=EARLY_STOPPING_MIN_DELTA
        ),
        keras.callbacks.ModelCheckpoint(str(outdir / CHECKPOINT_PATTERN), save_freq="epoch"),
        # epochs counted from 0 in the log, from 1 in the file names, as in the lesson
        keras.callbacks.CSVLogger(str(outdir / HISTORY_FILE)),
    ]
    model.fit(
        x_train,
        y_train,
        batch_size=BATCH_SIZE,
        epochs=epochs,
        validation_data=(x_val, y_val),
        callbacks=callbacks,
        verbose=verbose,
    )
    return CheckpointRun(outdir)


def _require_empty(outdir: Path) -> None:
    """Refuses a directory with an earlier run in it: mixed runs would mislead."""
    outdir.mkdir(parents=True, exist_ok=True)
    earlier = [p.name for p in outdir.iterdir()
               if p.name == HISTORY_FILE or CHECKPOINT_NAME.match(p.name)]
    if earlier:
        raise FileExistsError(
            _("{outdir} already holds a training run ({count} files such as {example}); "
              "choose an empty directory").format(outdir=outdir, count=len(earlier), example=sorted(earlier)[0])
        )


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Adds the ``train`` subcommand to an argparse ``subparsers`` object; returns its parser.

    The parser's default ``run`` is :func:`run`, as ``graders.cli.main`` expects.
    """
    parser = subparsers.add_parser(
        "train",
        help=_("run the lesson's training and save a checkpoint every epoch"),
        description=_(
            "Train the lesson's CNN with ReduceLROnPlateau, EarlyStopping and a "
            "ModelCheckpoint per epoch; write the checkpoints and history.csv to OUTDIR."
        ),
    )
    parser.add_argument("outdir", metavar="OUTDIR", help=_("an empty or new directory"))
    parser.add_argument("--seed", type=int, default=0, help=_("random seed (default 0)"))
    parser.add_argument("--epochs", type=_positive, default=EPOCHS,
                        help=_("most epochs to train (default {epochs})").format(epochs=EPOCHS))
    parser.add_argument("--data", choices=SOURCES, default=None,
                        help=_("data set: auto (CIFAR-10 if it can be had, else digits), "
                               "cifar10 or digits (default: cached CIFAR-10, else digits)"))
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Runs ``graders train`` with parsed arguments, prints a summary; returns the exit code."""
    started = time.perf_counter()
    try:
        _require_empty(Path(args.outdir))
        data = load_lesson_data(args.data, seed=args.seed)
    except (FileExistsError, DataUnavailable, ValueError) as error:
        print(f"graders train: {error}", file=sys.stderr)
        return 1
    result = train_lesson_model(args.outdir, seed=args.seed, epochs=args.epochs, data=data)
    print(summary(result, args.epochs, time.perf_counter() - started))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1, got {value}").format(value=value))
    return value


def summary(result: CheckpointRun, epochs: int, seconds: float) -> str:
    """A few lines on a finished run: epochs, best epoch and its val_loss, files, time."""
    trained = len(result.val_loss)
    stopped = _(" (stopped early by EarlyStopping)") if trained < epochs else ""
    best = result.best
    return "\n".join([
        ngettext("Trained {count} epoch{stopped} in {seconds} s.", "Trained {count} epochs{stopped} in {seconds} s.",
                 trained).format(count=trained, stopped=stopped, seconds=f"{seconds:.1f}"),
        _("Smallest val_loss {loss} at epoch {epoch}: {file}").format(
            loss=f"{best.val_loss:.4f}", epoch=best.epoch, file=best.path.name),
        _("Wrote {count} checkpoints and {history} to {directory}").format(
            count=len(result.files), history=HISTORY_FILE, directory=result.directory),
    ])
