"""The sample submissions in tests/submissions, graded through the CLI as a user would.

Each sample states in its first comment lines (a notebook: in its first code
cell) what the grader must make of it:

    # expect: practice1=10 practice2=9.25       the exact score of each named practice
    # feedback: practice1: expected rate 0.2     that practice's feedback contains this
    # error: not UTF-8                           the submission's error contains this
    # note: NameError                            one of the report's notes (cells that failed) contains this

``feedback``, ``error`` and ``note`` lines are optional and repeatable; a sample with no
``error`` line must have no submission-level error. Other comment lines (such as
``# disputed:``) are notes for people. The whole corpus is graded in one CLI
call per test session (the ``corpus_run`` fixture of conftest.py, which
tests/test_hostile.py shares).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from conftest import CORPUS_TIMEOUT_SECONDS as TIMEOUT_SECONDS
from conftest import ROOT, SUBMISSIONS, CorpusRun, corpus_samples

SAMPLES = corpus_samples()

DIRECTIVE = re.compile(r"#\s*(expect|feedback|error|note):\s*(.*?)\s*$")


@dataclass
class Expectations:
    """What a sample declares about its grading."""

    scores: dict[str, float] = field(default_factory=dict)
    feedback: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def header_lines(path: Path) -> list[str]:
    """The comment lines a sample starts with (a notebook: those of its first code cell).

    A notebook that is not valid JSON, on purpose, states them as plain text lines.
    """
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            notebook = nbformat.reads(text, as_version=4)
        except ValueError:
            pass
        else:
            text = next((c.source for c in notebook.cells if c.cell_type == "code"), "")
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def read_expectations(path: Path) -> Expectations:
    """Parses a sample's ``expect``/``feedback``/``error``/``note`` lines.

    Raises:
        ValueError: a malformed line, naming the sample and the line.
    """
    expected = Expectations()
    for line in header_lines(path):
        match = DIRECTIVE.fullmatch(line)
        if not match:
            continue
        kind, value = match.groups()
        try:
            if kind == "expect":
                for item in value.split():
                    practice, _, score = item.partition("=")
                    expected.scores[practice] = float(score)
            elif kind == "feedback":
                practice, sep, text = value.partition(": ")
                if not sep or not text:
                    raise ValueError("expected 'practiceN: substring'")
                expected.feedback.append((practice, text))
            elif kind == "note":
                expected.notes.append(value)
            else:
                expected.errors.append(value)
        except ValueError as exc:
            raise ValueError(f"{path.name}: bad line {line!r} ({exc})") from None
    return expected


def _report_of(run: CorpusRun, path: Path) -> dict:
    assert run.returncode == 0, f"the CLI exited with {run.returncode}; stderr:\n{run.stderr}"
    key = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    report = run.reports.get(key)
    assert report is not None, f"{path.name}: no JSON line for it in the CLI's output"
    return report


def _show(report: dict) -> str:
    lines = [f"  error: {report['error']}"]
    for name, result in report["practices"].items():
        lines.append(f"  {name}: {result['score']:g} / {result['max_score']:g}")
        lines += [f"    - {line}" for line in result["feedback"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_is_graded_as_declared(path: Path, corpus_run: CorpusRun):
    expected = read_expectations(path)
    report = _report_of(corpus_run, path)
    practices = report["practices"]
    problems = []
    for name, score in expected.scores.items():
        if name not in practices:
            problems.append(f"{name}: not in the report")
        elif practices[name]["score"] != pytest.approx(score, abs=0.01):
            problems.append(f"{name}: expected score {score:g}, found {practices[name]['score']:g}")
    for name, text in expected.feedback:
        feedback = "\n".join(practices.get(name, {}).get("feedback", []))
        if text not in feedback:
            problems.append(f"{name}: feedback lacks {text!r}")
    for text in expected.errors:
        if text not in (report["error"] or ""):
            problems.append(f"error lacks {text!r}")
    for text in expected.notes:
        if not any(text in note for note in report["notes"]):
            problems.append(f"notes lack {text!r}")
    if not expected.errors and report["error"] is not None:
        problems.append("an error that the sample does not declare")
    assert not problems, f"{path.name}:\n" + "\n".join(f"  {p}" for p in problems) + "\n" + _show(report)


def test_every_sample_declares_its_scores():
    assert SAMPLES, f"no samples in {SUBMISSIONS}"
    silent = [p.name for p in SAMPLES if not read_expectations(p).scores]
    assert not silent, f"samples with no '# expect:' line in their first comment lines: {silent}"


def test_zero_byte_file_scores_zero_with_a_reason_per_practice(corpus_run: CorpusRun):
    path = next(Path(k) for k in corpus_run.reports if k.endswith("zero_bytes.py"))
    report = _report_of(corpus_run, path)
    for name, result in report["practices"].items():
        assert result["score"] == 0, f"{name} of an empty file scored {result['score']}\n{_show(report)}"
        assert "is not defined" in " ".join(result["feedback"]), f"{name}: no reason\n{_show(report)}"


def test_stdout_holds_only_json_lines(corpus_run: CorpusRun):
    assert not corpus_run.stray_lines, "lines on stdout that are not JSON:\n" + "\n".join(corpus_run.stray_lines[:20])


def test_nothing_leaks_to_stderr(corpus_run: CorpusRun):
    assert corpus_run.stderr == "", f"the CLI wrote to stderr while grading the corpus:\n{corpus_run.stderr[:3000]}"


def test_missing_file_is_a_usage_error_naming_it(run_cli):
    result = run_cli("grade", "missing.py")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, f"exit code {result.returncode}, expected 2; stderr:\n{result.stderr}"
    assert len(lines) == 1 and "missing.py" in lines[0], f"expected one line naming missing.py, got:\n{result.stderr}"
    assert result.stdout == "", f"nothing should be graded, stdout:\n{result.stdout}"


def test_zero_jobs_is_a_usage_error(run_cli):
    sample = str((SUBMISSIONS / "ok_list_keras_input.py").relative_to(ROOT))
    result = run_cli("grade", "--jobs", "0", sample)
    assert result.returncode == 2, f"exit code {result.returncode}, expected 2; stderr:\n{result.stderr}"
    assert "--jobs" in result.stderr, f"the message should name --jobs:\n{result.stderr}"


def test_text_report_shows_score_and_feedback_of_a_near_miss(run_cli):
    sample = str((SUBMISSIONS / "near_dropout_rate.py").relative_to(ROOT))
    result = run_cli("grade", "--timeout", str(TIMEOUT_SECONDS), sample)
    assert result.returncode == 0, f"exit code {result.returncode}; stderr:\n{result.stderr}"
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "practice1: 9.25 / 10" in lines, f"no 'practice1: 9.25 / 10' line in:\n{result.stdout}"
    assert "- layer 3 (Dropout): expected rate 0.2, found 0.5." in lines, f"feedback line missing in:\n{result.stdout}"
