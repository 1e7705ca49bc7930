"""What the hostile samples (tests/submissions/hostile_*) must not achieve, beyond their own scores.

Each hostile sample is a plausible attack by a student who wants marks without the work, or wants to
hurt the grader or classmates; its header says what it tries and what it must score, and
tests/test_corpus.py checks those scores. This module reuses that same CLI run (the session's
``corpus_run`` fixture in conftest.py) and checks the rest: the grader finished and reported on every
submission, nothing of the run is left running, nothing was written outside it, an honest submission
in the same batch kept its marks, and the samples made at run time (a 50 MB file, a notebook nested
200,000 levels deep) were handled. Two ``slow`` tests make their own, small CLI runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (
    CORPUS_TIMEOUT_SECONDS,
    HONEST_SAMPLE,
    MARKER,
    QUIET_TENSORFLOW,
    ROOT,
    SUBMISSIONS,
    CorpusRun,
    corpus_samples,
    grade_corpus,
    parse_reports,
)

HOSTILE = [p for p in corpus_samples() if p.name.startswith("hostile_")]
#: graded a second time: forging on the pipe, crashing the grader's parser, signals, writes outside,
#: memory for the rebuild, monkeypatching, memory bombs, reading memory, and an honest one
NASTIEST = [
    "hostile_forge_events_every_fd.py",
    "hostile_forge_unhashable_practice.py",
    "hostile_forge_overflow_curve.py",
    "hostile_kill_parent.py",
    "hostile_write_outside.py",
    "hostile_rebuild_huge_dense.py",
    "hostile_patch_graders_modules.py",
    "hostile_memory_bombs.py",
    "hostile_frames_reference_answers.py",
    "ok_list_keras_input.py",
]


def _show(report: dict) -> str:
    lines = [f"  error: {report['error']}"]
    for name, result in report["practices"].items():
        lines.append(f"  {name}: {result['score']:g} / {result['max_score']:g}")
        lines += [f"    - {line[:300]}" for line in result["feedback"]]
    return "\n".join(lines)


def _report(run: CorpusRun, path: str | Path) -> dict:
    assert run.returncode == 0, f"the CLI exited with {run.returncode}; stderr:\n{run.stderr[-3000:]}"
    key = str(Path(path).relative_to(ROOT)) if Path(path).is_absolute() and Path(path).is_relative_to(ROOT) else str(path)
    report = run.reports.get(key)
    assert report is not None, f"{key}: no report in the CLI's output"
    return report


def test_the_corpus_has_enough_hostile_samples():
    notebooks = [p for p in HOSTILE if p.suffix == ".ipynb"]
    assert len(HOSTILE) >= 40, f"only {len(HOSTILE)} hostile samples"
    assert len(notebooks) >= 3, f"only {len(notebooks)} hostile notebooks"


def test_every_hostile_sample_says_what_it_does():
    """Besides its expectations, a hostile sample explains its attack in its header comment lines."""
    from test_corpus import header_lines

    vague = []
    for path in HOSTILE:
        prose = [line for line in header_lines(path)
                 if not re.match(r"#\s*(expect|feedback|error|note):", line)]
        if len(prose) < 2:
            vague.append(path.name)
    assert not vague, f"hostile samples without a line or two on the attack and the expected score: {vague}"


def test_the_grader_finished_with_one_report_per_submission(corpus_run: CorpusRun):
    assert corpus_run.returncode == 0, f"the CLI exited with {corpus_run.returncode}; stderr:\n{corpus_run.stderr[-3000:]}"
    _, _, count = parse_reports(corpus_run.stdout)
    missing = [p for p in corpus_run.paths if p not in corpus_run.reports]
    unexpected = [k for k in corpus_run.reports if k not in corpus_run.paths]
    assert not missing, f"{len(missing)} submissions have no report, e.g. {missing[:5]}"
    assert not unexpected, f"reports for files that were not graded (forged on stdout?): {unexpected[:5]}"
    assert count == len(corpus_run.paths), f"{count} report lines for {len(corpus_run.paths)} submissions"


def test_no_process_of_the_run_is_left_behind(corpus_run: CorpusRun):
    assert not corpus_run.leftovers, "processes of the run still alive after it:\n" + "\n".join(corpus_run.leftovers)
    assert not corpus_run.leftover_cgroups, f"the run's cgroups were not removed: {corpus_run.leftover_cgroups}"
    assert not corpus_run.new_children, "new children of the test process:\n" + "\n".join(corpus_run.new_children)


def test_the_grader_removed_its_session_folder(corpus_run: CorpusRun):
    """Workdirs full of what submissions made (deep folders, FIFOs, links, big files) are all deleted."""
    assert not corpus_run.leftover_files, f"left in the grader's TMPDIR: {corpus_run.leftover_files[:5]}"


def test_nothing_was_written_outside_the_run(corpus_run: CorpusRun):
    assert not corpus_run.markers, f"files a sample made outside its workdir: {[str(m) for m in corpus_run.markers]}"
    assert not corpus_run.changed_files, f"files a sample changed: {sorted(corpus_run.changed_files)}"
    assert not list(Path("/tmp").glob(MARKER + "*")), "a marker in /tmp"


def test_an_honest_submission_in_the_hostile_batch_keeps_its_marks(corpus_run: CorpusRun):
    report = _report(corpus_run, HONEST_SAMPLE)
    assert report["total"] == report["max_total"] == 30, f"{HONEST_SAMPLE.name}:\n{_show(report)}"
    assert report["error"] is None and not report["notes"], _show(report)


def test_a_50_mb_submission_is_graded(corpus_run: CorpusRun):
    """50 MB of comments after a correct answer: the answer is graded, and nobody else pays for it."""
    report = _report(corpus_run, corpus_run.generated["50mb"])
    assert report["error"] is None, _show(report)
    assert report["total"] == 30, _show(report)


def test_a_notebook_nested_200000_deep_is_an_error_of_its_own(corpus_run: CorpusRun):
    report = _report(corpus_run, corpus_run.generated["deep_nesting"])
    assert "not a valid notebook" in (report["error"] or ""), _show(report)
    assert report["total"] == 0, _show(report)


def test_the_nastiest_samples_grade_the_same_twice(corpus_run: CorpusRun):
    paths = [str((SUBMISSIONS / name).relative_to(ROOT)) for name in NASTIEST]
    result, _, _, _ = grade_corpus(paths)
    assert result.returncode == 0, f"the CLI exited with {result.returncode}; stderr:\n{result.stderr[-3000:]}"
    again, _, _ = parse_reports(result.stdout)
    differences = []
    for path in paths:
        first, second = corpus_run.reports.get(path), again.get(path)
        if first is None or second is None:
            differences.append(f"{path}: no report in {'the corpus run' if first is None else 'the second run'}")
            continue
        for name in first["practices"]:
            a, b = first["practices"][name]["score"], second["practices"][name]["score"]
            if a != b:
                differences.append(f"{path} {name}: {a:g} then {b:g}")
    assert not differences, "scores that changed between two runs:\n" + "\n".join(differences)


@pytest.mark.slow  # a text-mode CLI run of one sample (about 10 s)
def test_the_text_report_survives_unprintable_feedback():
    """A student's exception message with a lone surrogate and terminal escapes, in the text report."""
    sample = str((SUBMISSIONS / "hostile_unprintable_feedback.py").relative_to(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "graders.cli", "grade", "--timeout", str(CORPUS_TIMEOUT_SECONDS), sample],
        cwd=ROOT, env={**__import__("os").environ, **QUIET_TENSORFLOW}, capture_output=True, timeout=600,
    )
    stdout = done.stdout.decode("utf-8", errors="replace")
    assert done.returncode == 0, f"exit code {done.returncode}; stderr:\n{done.stderr.decode(errors='replace')[-2000:]}"
    assert "practice2: 10 / 10" in stdout, stdout
    assert "\x1b" not in stdout, "the report passes a student's terminal escape codes through to the terminal"
