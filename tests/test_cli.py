"""The `graders describe` command and the closing summary of `graders grade`, run as a user would."""

import json

from graders.present.text import format_summary


def test_describe_prints_a_table_with_connections(run_cli):
    done = run_cli("describe", "graders/lesson_models.py:functional_two_inputs")
    assert done.returncode == 0, done.stderr
    assert "Connected to" in done.stdout
    assert "Total params: 8,383" in done.stdout
    assert done.stderr == ""


def test_describe_json_is_the_description(run_cli):
    done = run_cli("describe", "reference/practice2.py:build_residual_model", "--json")
    description = json.loads(done.stdout)
    assert description["total_params"] == 124
    assert [layer["kind"] for layer in description["layers"]][4] == "Add"


def test_describe_names_a_missing_function_in_one_line(run_cli):
    done = run_cli("describe", "graders/lesson_models.py:no_such_builder")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "no_such_builder is not defined" in done.stderr


def test_describe_rejects_a_target_without_function(run_cli):
    done = run_cli("describe", "graders/lesson_models.py")
    assert done.returncode == 2
    assert "expected FILE:FUNCTION" in done.stderr


def test_text_report_ends_with_a_summary_line(run_cli):
    done = run_cli("grade", "--practice", "practice1", "demo/students/eli.py", "demo/students/dana.py")
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("graded 2 submissions in "), last
    assert "mean total 5.00 / 10" in last


def test_summary_counts_submissions_that_could_not_run():
    reports = [
        {"total": 30, "max_total": 30, "error": None},
        {"total": 0, "max_total": 30, "error": "syntax error on line 1 of your code: invalid syntax"},
    ]
    assert format_summary(reports, 3.0) == "graded 2 submissions in 3.0 s: mean total 15.00 / 30, 1 could not run"


def test_report_command_writes_the_dashboard_from_json_lines(run_cli, demo_class_reports, tmp_path):
    lines = tmp_path / "class.jsonl"
    lines.write_text("".join(json.dumps(report) + "\n" for report in demo_class_reports) + "not json\n")
    done = run_cli("report", str(tmp_path / "report"), "--jsonl", str(lines))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report" / "index.html").is_file()
    assert "class.jsonl:6" in done.stderr, "a bad line is named by file and line"
    assert str(tmp_path / "report" / "index.html") in done.stdout


def test_an_unreadable_path_is_reported_and_the_others_are_still_graded(run_cli):
    done = run_cli("grade", "--json", "--practice", "practice1", "missing.py", "demo/students/alice.py")
    reports = {r["submission"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert done.returncode == 2, f"exit {done.returncode}; a path that cannot be read is an error\n{done.stderr}"
    assert reports["demo/students/alice.py"]["total"] == 10, "the readable submission is graded in full"
    assert "missing.py" in reports["missing.py"]["error"] and reports["missing.py"]["total"] == 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing.py: no such file" in lines[0], done.stderr
