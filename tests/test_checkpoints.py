"""CheckpointRun reads the truth from history.csv; the hidden directories defeat each shortcut."""

import json
import math

import pytest

from graders.checkpoints import (
    CHECKPOINT_NAME,
    HIDDEN_KINDS,
    CheckpointError,
    CheckpointRun,
    make_hidden_directories,
    rounded,
    write_history,
)


def make_run(folder, losses, fmt="keras", zero_based=False):
    """A checkpoint directory whose files are not models at all: CheckpointRun must not open them."""
    folder.mkdir(parents=True, exist_ok=True)
    for epoch, loss in enumerate(losses, start=1):
        (folder / f"{epoch:02d}-{rounded(loss)}.{fmt}").write_bytes(b"not a model")
    first = 0 if zero_based else 1
    write_history(folder / "history.csv",
                  [{"epoch": e, "val_loss": v} for e, v in enumerate(losses, start=first)])
    return folder


def test_best_comes_from_the_log_not_from_the_names(tmp_path):
    run = CheckpointRun(make_run(tmp_path / "run", [0.9, 0.4349, 0.5, 0.4312, 0.6]))
    assert run.best.epoch == 4, "epoch 4 has the smallest logged val_loss (both names say 0.43)"
    assert run.best.path.name == "04-0.43.keras"
    assert [c.epoch for c in run.checkpoints] == [1, 2, 3, 4, 5]


def test_exact_minimum_is_accepted_without_a_note(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4349, 0.5, 0.4312, 0.6])
    verdict = CheckpointRun(folder).acceptable(folder / "04-0.43.keras")
    assert verdict.accepted and verdict.exact and verdict.note == ""


def test_tie_at_the_names_resolution_is_accepted_with_a_note(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4349, 0.5, 0.4312, 0.6])
    verdict = CheckpointRun(folder).acceptable(folder / "02-0.43.keras")
    assert verdict.accepted and not verdict.exact
    assert "2 decimals" in verdict.note and "history.csv" in verdict.note


def test_a_wrong_file_is_refused(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4349, 0.5, 0.4312, 0.6])
    verdict = CheckpointRun(folder).acceptable(folder / "03-0.50.keras")
    assert not verdict.accepted
    assert verdict.checkpoint.epoch == 3


def test_relative_paths_resolve_against_the_directory_or_the_working_directory(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4, 0.6])
    run = CheckpointRun(folder)
    assert run.find("02-0.40.keras").epoch == 2
    assert run.find("run/02-0.40.keras", cwd=tmp_path).epoch == 2
    assert run.find("run/02-0.40.keras") is None, "without a cwd, only the directory counts"


def test_files_that_are_not_checkpoints_of_the_directory_are_not_found(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4, 0.6])
    other = make_run(tmp_path / "other", [0.9, 0.4, 0.6])
    run = CheckpointRun(folder)
    assert run.find(folder / "history.csv") is None
    assert run.find(other / "02-0.40.keras") is None
    assert run.acceptable(folder / "missing.keras").checkpoint is None


def test_keras_csvlogger_epochs_counted_from_zero_are_shifted(tmp_path):
    run = CheckpointRun(make_run(tmp_path / "run", [0.9, 0.4, 0.6], zero_based=True))
    assert run.val_loss == {1: 0.9, 2: 0.4, 3: 0.6}
    assert run.best.path.name == "02-0.40.keras"


def test_legacy_h5_files_are_checkpoints_too(tmp_path):
    run = CheckpointRun(make_run(tmp_path / "run", [0.9, 0.4, 0.6], fmt="h5"))
    assert run.best.path.name == "02-0.40.h5"


def test_weights_only_files_are_checkpoints_and_their_names_read_right(tmp_path):
    run = CheckpointRun(make_run(tmp_path / "run", [0.9, 0.4, 0.6], fmt="weights.h5"))
    assert run.best.path.name == "02-0.40.weights.h5"
    assert [c.shown for c in run.checkpoints] == ["0.90", "0.40", "0.60"], "the shown loss must not keep '.weights'"


@pytest.mark.parametrize(
    "name, epoch, shown",
    [("07-0.43.keras", 7, "0.43"), ("100-0.41.keras", 100, "0.41"), ("03-1.20.h5", 3, "1.20"),
     ("12-0.43.weights.h5", 12, "0.43"), ("101-12.50.weights.h5", 101, "12.50")],
)
def test_checkpoint_names_of_every_format_and_epoch_width(name, epoch, shown):
    match = CHECKPOINT_NAME.match(name)
    assert match and (int(match["epoch"]), match["shown"]) == (epoch, shown), f"{name} read as {match and match.groupdict()}"


@pytest.mark.parametrize("name", ["history.csv", "best.keras", "07-0.43.keras.bak", "notes.h5.txt"])
def test_other_files_are_not_checkpoints(name):
    assert CHECKPOINT_NAME.match(name) is None


def test_three_digit_epochs_are_ordered_as_numbers(tmp_path):
    run = CheckpointRun(make_run(tmp_path / "run", [0.5] * 10 + [0.3] + [0.6] * 90))
    assert [c.epoch for c in run.checkpoints] == list(range(1, 102)), "epochs must sort as numbers"
    assert run.best.path.name == "11-0.30.keras"
    assert run.checkpoints[-1].path.name == "101-0.60.keras"


def test_a_nan_epoch_is_never_the_best(tmp_path):
    folder = tmp_path / "run"
    make_run(folder, [0.9, 0.4, 0.6])
    write_history(folder / "history.csv", [{"epoch": 1, "val_loss": math.nan},
                                           {"epoch": 2, "val_loss": 0.4},
                                           {"epoch": 3, "val_loss": 0.6}])
    assert CheckpointRun(folder).best.epoch == 2


MISSING, EMPTY = None, []


@pytest.mark.parametrize(
    "losses, log, expected",
    [
        (MISSING, None, "does not exist"),
        (EMPTY, None, "no checkpoint files"),
        ([0.5], None, "no history.csv"),
        ([0.5], "epoch,loss\n1,0.3\n", "columns epoch and val_loss"),
        ([0.5], "epoch,val_loss\n1,0.5\n1,0.4\n", "epoch 1 twice"),
        ([0.5], "epoch,val_loss\n1,oops\n", "not a number"),
        ([0.5, 0.4], "epoch,val_loss\n1,0.5\n", "02-0.40.keras"),
    ],
    ids=["missing", "empty", "no-log", "no-val_loss-column", "duplicate-epoch", "bad-value",
         "epoch-not-logged"],
)
def test_unreadable_directories_give_a_one_line_error(tmp_path, losses, log, expected):
    folder = tmp_path / "run"
    if losses is not None:
        make_run(folder, losses)
        (folder / "history.csv").unlink()
    if log is not None:
        (folder / "history.csv").write_text(log)
    with pytest.raises(CheckpointError) as caught:
        CheckpointRun(folder)
    message = str(caught.value)
    assert expected in message, f"unexpected message: {message}"
    assert "\n" not in message


def test_a_corrupted_checkpoint_file_does_not_matter(tmp_path):
    folder = make_run(tmp_path / "run", [0.9, 0.4, 0.6])
    (folder / "02-0.40.keras").write_bytes(b"\x00garbage")
    assert CheckpointRun(folder).best.path.name == "02-0.40.keras"


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    root = tmp_path_factory.mktemp("hidden")
    return make_hidden_directories(root)


@pytest.fixture(scope="module")
def runs(hidden):
    return {d["kind"]: CheckpointRun(d["path"]) for d in hidden}


def test_hidden_directories_are_described_as_json(hidden):
    assert json.loads(json.dumps(hidden)) == hidden
    assert [d["kind"] for d in hidden] == list(HIDDEN_KINDS) and len(set(HIDDEN_KINDS)) == 7
    assert all(set(d) == {"id", "kind", "path", "fingerprint"} for d in hidden)


def test_every_hidden_checkpoint_loads_with_keras(runs):
    import keras

    from graders.checkpoints import _tiny_model

    for kind, run in runs.items():
        for checkpoint in run.checkpoints:
            if checkpoint.path.name.endswith(".weights.h5"):
                # weights only: they load into the model that saved them
                model = _tiny_model(keras)
                model.load_weights(checkpoint.path)
                assert model.get_weights()[0].any(), f"{checkpoint.path.name} holds no weights"
                continue
            model = keras.models.load_model(checkpoint.path)
            assert model.optimizer is not None, f"{checkpoint.path.name} ({kind}) lost its optimizer"


def test_names_show_the_logged_val_loss_rounded(runs):
    for kind, run in runs.items():
        for checkpoint in run.checkpoints:
            assert checkpoint.shown == rounded(checkpoint.val_loss), (kind, checkpoint.path.name)


def test_no_hidden_minimum_is_at_the_first_or_last_epoch(runs):
    for kind, run in runs.items():
        assert run.best.epoch not in (1, len(run.checkpoints)), kind


def test_the_newest_file_is_neither_best_nor_last_somewhere(runs):
    run = runs["newest file is not the best"]
    newest = max(run.checkpoints, key=lambda c: c.path.stat().st_mtime)
    assert newest is not run.best and newest is not run.checkpoints[-1]


def test_ties_dir_has_the_exact_minimum_in_the_later_named_file(runs):
    run = runs["ties in the rounded names"]
    tied = [c for c in run.checkpoints if c.shown == run.best.shown]
    assert len(tied) == 2 and tied[-1] is run.best


def test_legacy_dir_holds_only_h5_files(runs):
    assert {p.suffix for p in runs["legacy .h5 files"].files} == {".h5"}


def test_comparing_names_as_text_misleads_on_the_two_digit_dir(runs):
    run = runs["two-digit val_loss in the names"]
    assert min(run.checkpoints, key=lambda c: c.shown) is not run.best


def test_the_three_digit_run_passes_epoch_99(runs):
    run = runs["three-digit epochs"]
    assert len(run.checkpoints) > 99 and run.best.epoch >= 100, "the best epoch must have three digits"
    assert run.best.path.name.startswith(f"{run.best.epoch}-") and len(str(run.best.epoch)) == 3
    tied = [c for c in run.checkpoints if c.shown == run.best.shown]
    assert tied == [run.best], "the best name must be unique at two decimals, so no tie excuses a wrong pick"


def test_names_sorted_as_text_mislead_on_the_three_digit_run(runs):
    """The log's best row, used as an index into the names sorted as text, names another file."""
    run = runs["three-digit epochs"]
    by_text = sorted(run.checkpoints, key=lambda c: c.path.name)
    assert by_text != run.checkpoints
    assert by_text[run.checkpoints.index(run.best)] is not run.best


def test_fixed_positions_mislead_on_the_three_digit_run(runs):
    """name[3:7] reads a two-digit epoch's val_loss; on "100-..." it reads "-0.4", a negative loss."""
    run = runs["three-digit epochs"]
    def sliced(checkpoint):
        return float(checkpoint.path.name[3:7])

    smallest = min(sliced(c) for c in run.checkpoints)
    picks = [c for c in run.checkpoints if sliced(c) == smallest]
    assert run.best not in picks and all(c.epoch >= 100 for c in picks), [c.path.name for c in picks]
    assert rounded(run.best.val_loss) not in {c.shown for c in picks}, "a pick must not tie with the best"


def test_the_three_digit_run_stays_small(hidden):
    """Every submission gets its own copy: the 105 checkpoints of a tiny model must stay a few MB."""
    from pathlib import Path

    folder = Path(next(d["path"] for d in hidden if d["kind"] == "three-digit epochs"))
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 4_000_000, f"the three-digit run takes {size:,} bytes"


def test_weights_only_dir_holds_only_weights_files(runs):
    run = runs["weights-only .weights.h5 files"]
    assert all(p.name.endswith(".weights.h5") for p in run.files)
    # a parser that strips one extension reads "0.43.weights", not a number
    assert all(p.stem.endswith(".weights") for p in run.files)
