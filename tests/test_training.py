"""The lesson's training run on the embedded digits: files, log, determinism, the CLI."""

import argparse
import csv
import re
import time

import pytest

from graders import training
from graders.checkpoints import CHECKPOINT_NAME, CheckpointRun, rounded
from graders.data import load_lesson_data
from conftest import load_reference

find_best_checkpoint = load_reference("practice3").find_best_checkpoint


@pytest.fixture(scope="session")
def digits():
    return load_lesson_data("digits", seed=0)


@pytest.fixture(scope="session")
def lesson_run(tmp_path_factory, digits):
    """One training run with the defaults, shared by the tests (it takes about 20 s)."""
    outdir = tmp_path_factory.mktemp("lesson-run") / "weights"
    started = time.perf_counter()
    run = training.train_lesson_model(outdir, seed=0, data=digits)
    return run, time.perf_counter() - started


def read_log(run):
    with open(run.directory / "history.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_cnn_is_the_lessons():
    model = training.build_lesson_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["InputLayer", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
                     "Flatten", "Dense", "Dense"]
    assert model.output_shape == (None, 10)
    assert model.count_params() == 422_218


def test_every_epoch_has_a_checkpoint_named_like_the_lesson(lesson_run):
    run, _ = lesson_run
    epochs = len(read_log(run))
    names = sorted(p.name for p in run.directory.iterdir() if CHECKPOINT_NAME.match(p.name))
    assert [int(name[:2]) for name in names] == list(range(1, epochs + 1))
    assert all(re.fullmatch(r"\d\d-\d+\.\d\d\.keras", name) for name in names), names


def test_the_log_is_keras_csvlogger_format_and_keeps_full_precision(lesson_run):
    run, _ = lesson_run
    rows = read_log(run)
    assert {"epoch", "val_loss", "loss"} <= set(rows[0])
    # CSVLogger counts epochs from 0; the checkpoint names count from 1
    assert [int(row["epoch"]) for row in rows] == list(range(len(rows)))
    for row, checkpoint in zip(rows, run.checkpoints):
        assert checkpoint.shown == rounded(float(row["val_loss"]))
    assert any(len(row["val_loss"].split(".")[1]) > 2 for row in rows), "val_loss was rounded"
    assert "learning_rate" in rows[0]


def test_early_stopping_ends_the_run_after_its_best_epoch(lesson_run):
    run, _ = lesson_run
    epochs = len(run.checkpoints)
    assert epochs < training.EPOCHS, "EarlyStopping should end the run before the epoch limit"
    assert run.best.epoch < epochs, "the last checkpoint must not be the best one"
    assert epochs - run.best.epoch == training.EARLY_STOPPING_PATIENCE


def test_reduce_lr_on_plateau_acts_before_the_run_ends(lesson_run):
    rates = [float(row["learning_rate"]) for row in read_log(lesson_run[0])]
    assert rates[-1] < rates[0]


def test_the_best_checkpoint_loads_and_evaluates(lesson_run, digits):
    import keras

    run, _ = lesson_run
    best = find_best_checkpoint(run.directory)
    assert best == str(run.best.path)
    model = keras.models.load_model(best)
    _, accuracy = model.evaluate(*digits[2], verbose=0)
    assert accuracy > 0.9


def test_the_cli_repeats_the_run_exactly_and_summarises_it(lesson_run, tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="graders")
    training.add_parser(parser.add_subparsers())
    args = parser.parse_args(["train", str(tmp_path / "again"), "--epochs", "2", "--data", "digits"])
    assert args.run(args) == 0

    again = CheckpointRun(tmp_path / "again")
    first_two = {epoch: lesson_run[0].val_loss[epoch] for epoch in (1, 2)}
    assert again.val_loss == first_two, "the same seed must give the same history"
    out = capsys.readouterr().out
    assert "Trained 2 epochs in " in out
    assert f"at epoch {again.best.epoch}: {again.best.path.name}" in out
    assert "Wrote 2 checkpoints and history.csv to " in out


def test_the_cli_refuses_a_directory_with_an_earlier_run(lesson_run, capsys):
    parser = argparse.ArgumentParser(prog="graders")
    training.add_parser(parser.add_subparsers())
    args = parser.parse_args(["train", str(lesson_run[0].directory)])
    assert args.run(args) == 1
    err = capsys.readouterr().err
    assert "already holds a training run" in err and "choose an empty directory" in err
