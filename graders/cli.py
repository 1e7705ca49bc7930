"""The ``graders`` command: grade submissions, describe a model, train the lesson's CNN."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

# TensorFlow's C++ logs and oneDNN notices would otherwise land on stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from graders.i18n import LANG_ENV, LANGUAGES, _, set_language

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in the command line; the message is printed as one line and exit is 2."""


def main(argv: list[str] | None = None) -> int:
    argv = choose_language(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(printable(f"graders {args.command}: {exc}"), file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# --- language: Korean or English (graders.i18n) -------------------------------------------------


def choose_language(argv: list[str]) -> list[str]:
    """Takes ``--lang ko|en`` out of ``argv`` (anywhere: before or after the command) and sets it.

    The choice goes into the environment (``GRADERS_LANG``), so the grader's
    sandboxed children and the grading server speak the same language. The
    help text is built after this, in the chosen language.
    """
    chooser = argparse.ArgumentParser(prog="graders", add_help=False, allow_abbrev=False)
    chooser.add_argument("--lang", choices=LANGUAGES)
    head, dashes, tail = _split_at_dashes(argv)
    known, rest = chooser.parse_known_args(head)
    if known.lang:
        set_language(known.lang)
    return rest + dashes + tail


def _split_at_dashes(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], ["--"], argv[index + 1:]
    return list(argv), [], []


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's own words (usage, the section titles) in the chosen language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _localise(parser: argparse.ArgumentParser) -> None:
    """Section titles and the -h line of ``parser`` and its commands' parsers in the chosen language."""
    parser.formatter_class = _HelpFormatter if parser.formatter_class is argparse.HelpFormatter else parser.formatter_class
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("show this help message and exit")
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                _localise(command)


# -------------------------------------------------------------------------------------------------


def _description() -> str:
    return _("""Grade the Keras lesson's practices, describe a model, train the lesson's CNN, write reports.

Run `graders COMMAND --help` for a command's options.""")


def _examples() -> str:
    return _("""examples:
  graders grade alice.ipynb bob.py             grade two submissions, a report each
  graders grade submitted/ --json --jobs 2     a whole nbgrader class, JSON Lines
  graders grade submitted/ --cluster local:4   the same on a Dask cluster of 4 workers
  graders describe answer.py:build_residual_model
  graders report report/ --jsonl class.jsonl --gradebook .

exit status: 0 when every submission was graded (whatever the scores), 2 for a
usage error or a path that is not a readable .py or .ipynb file.""")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graders", description=_description(), epilog=_examples(), formatter_class=_HelpFormatter
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, metavar="ko|en",
        help=_("the language of messages and reports (default: ${variable}, else the locale, else English); "
               "it may also follow the command").format(variable=LANG_ENV),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser(
        "grade", help=_("grade submissions (.py or .ipynb files, or folders of them)"),
        description=_("Grade each submission against the course's reference answers and print a report per "
                      "submission."),
    )
    grade.add_argument(
        "submissions", nargs="+", metavar="SUBMISSION",
        help=_("a .py or .ipynb file, or a folder: every .py and .ipynb below it (nbgrader's submitted/ too)"),
    )
    grade.add_argument("--json", action="store_true", help=_("print JSON Lines, one object per submission"))
    grade.add_argument(
        "--jobs", type=_positive_int, default=1, metavar="N", help=_("submissions run at once (default 1)")
    )
    grade.add_argument(
        "--timeout", type=_positive_float, default=60.0, metavar="SECONDS",
        help=_("seconds per submission (default 60)"),
    )
    grade.add_argument("--memory", type=_positive_int, default=4096, metavar="MB",
                       help=_("MB per submission (default 4096)"))
    grade.add_argument(
        "--practice", action="append", metavar="NAME",
        help=_("grade only this practice, e.g. practice2 (repeatable; default: all)"),
    )
    grade.add_argument(
        "--reference", metavar="DIR",
        help=_("the course's reference answers (default: reference/ in the course folder, or $GRADERS_REFERENCE)"),
    )
    grade.add_argument(
        "--assignment", metavar="NAME",
        help=_("grade every submission on this assignment's practices (default: the assignment of nbgrader's "
               "submitted/STUDENT/ASSIGNMENT/ folder, else the course's practices.py, else the lesson's)"),
    )
    grade.add_argument(
        "--course", metavar="DIR",
        help=_("the course folder, with nbgrader_config.py, reference/ and any practices.py (default: the one "
               "around the working directory)"),
    )
    grade.add_argument(
        "--full-lesson", action="store_true",
        help=_("run the lesson's own training on all its data (by default a notebook's lesson cells train on a "
               "small slice: no practice is scored on them)"),
    )
    where = grade.add_mutually_exclusive_group()
    where.add_argument(
        "--cluster", metavar="local:N",
        help=_("grade on a Dask cluster of N single-threaded workers started on this machine"),
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS",
        help=_("grade on a running Dask cluster, e.g. tcp://HOST:8786 (see README: several machines)"),
    )
    grade.add_argument(
        "--batch-size", type=_positive_int, default=2, metavar="N",
        help=_("submissions per Dask task with --cluster or --scheduler (default 2)"),
    )
    grade.set_defaults(run=run_grade)

    describe = commands.add_parser(
        "describe", help=_("describe the model a function builds"),
        description=_("Print the model a function builds as a table (layers, settings, shapes, connections)."),
    )
    describe.add_argument(
        "target", metavar="FILE:FUNCTION", help=_("a .py or .ipynb file and the function in it that returns the model")
    )
    describe.add_argument("--json", action="store_true", help=_("print the description as JSON"))
    describe.add_argument(
        "--timeout", type=_positive_float, default=60.0, metavar="SECONDS",
        help=_("seconds the function may take (default 60)"),
    )
    describe.set_defaults(run=run_describe)

    cells = commands.add_parser(
        "check-cells", help=_("check source notebooks' nbgrader cells against their practices' declarations"),
        description=_("Check that each notebook has the solution and grade cells its practices' declarations give "
                      "(grade ids, points, public and hidden halves) and print every difference."),
    )
    cells.add_argument("notebooks", nargs="+", metavar="NOTEBOOK",
                       help=_("an nbgrader source notebook, e.g. exercises/keras_lesson/keras_lesson.ipynb"))
    cells.add_argument("--assignment", metavar="NAME",
                       help=_("the assignment whose practices the notebooks follow (default: each notebook's folder)"))
    cells.add_argument(
        "--course", metavar="DIR",
        help=_("the course folder, with nbgrader_config.py, reference/ and any practices.py (default: the one "
               "around the working directory)"),
    )
    cells.set_defaults(run=run_check_cells)

    from graders.training import add_parser as add_train_parser

    add_train_parser(commands)

    from graders.report import add_parser as add_report_parser

    add_report_parser(commands)
    _localise(parser)
    return parser


def run_grade(args) -> int:
    from graders.cluster import ClusterError, grade_on_cluster, parse_cluster
    from graders.data import SHORT_ENV
    from graders.grade import (
        ReferenceNotFound,
        by_assignment,
        expand_submissions,
        find_reference_dir,
        grade_submissions,
        select_practices,
        unreadable_report,
    )
    from graders.practices import DeclarationError
    from graders.practices.discover import course_root
    from graders.present.text import Progress, format_summary

    try:
        workers = parse_cluster(args.cluster) if args.cluster else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    submissions, refused = expand_submissions(args.submissions)
    for reason in refused.values():  # said at once; the other submissions are graded all the same
        print(printable(f"graders grade: {reason}"), file=sys.stderr, flush=True)
    unreadable = {}
    for path in submissions:
        try:
            _check_readable(path)
        except UsageError as exc:
            unreadable[path] = str(exc)
    if all(path in unreadable for path in submissions):  # nothing to grade
        for reason in unreadable.values():
            print(printable(f"graders grade: {reason}"), file=sys.stderr)
        return USAGE_ERROR
    course = args.course if args.course is not None else course_root()
    if course is not None and not Path(course).is_dir():
        raise UsageError(_("{folder}: not a folder").format(folder=course))
    groups = by_assignment(submissions, args.assignment)
    plans, failed = [], {}  # a set of practices and its reference answers per assignment, all checked first
    for assignment, paths in groups.items():
        try:
            practices = select_practices(args.practice, assignment, course)
            reference = find_reference_dir(practices, args.reference, course)
        except (KeyError, ReferenceNotFound, DeclarationError) as exc:
            failed[assignment] = (paths, exc.args[0])
            continue
        plans.append((assignment, paths, practices, reference))
    if not plans:  # nothing can be graded: one line, as for any usage error
        raise UsageError(next(iter(failed.values()))[1])
    progress = Progress(len(submissions), enabled=sys.stderr.isatty())
    # the lesson's training cells run short unless asked otherwise (see graders.data); an explicit
    # GRADERS_SHORT_RUN in the environment is respected
    os.environ[SHORT_ENV] = "0" if args.full_lesson else os.environ.get(SHORT_ENV, "1")
    reports = []
    for assignment, paths, practices, reference in plans:
        if workers or args.scheduler:
            graded = grade_on_cluster(
                paths, practices, args.timeout, args.memory, reference, workers=workers,
                scheduler=args.scheduler, batch_size=args.batch_size, short_run=os.environ[SHORT_ENV] != "0",
                assignment=assignment,
            )
        else:
            graded = grade_submissions(paths, practices, args.jobs, args.timeout, args.memory, reference)
        try:
            for report in graded:
                _show(report, args.json, progress)
                reports.append(report)
        except ClusterError as exc:
            raise UsageError(str(exc)) from None
    for assignment, (paths, reason) in failed.items():  # the others were graded all the same
        print(f"graders grade: {assignment or '-'}: {reason}", file=sys.stderr, flush=True)
        for path in paths:
            report = unreadable_report(path, [], _("not graded: {reason}").format(reason=reason))
            _show(report, args.json, progress)
            reports.append(report)
    progress.clear()
    line = format_summary(reports, progress.elapsed())
    if not args.json:
        print(line)
    elif progress.enabled:
        print(line, file=sys.stderr)
    for path in submissions:  # reported, and every other submission graded all the same
        if path in unreadable:
            print(printable(f"graders grade: {unreadable[path]}"), file=sys.stderr)
    return USAGE_ERROR if unreadable or refused or failed else 0


def _show(report: dict, as_json: bool, progress) -> None:
    from graders.present.text import format_report

    progress.clear()
    if as_json:
        print(json.dumps(report), flush=True)
    else:
        print(printable(format_report(report)) + "\n", flush=True)
    progress.advance()


def run_check_cells(args) -> int:
    """Exit status 1 when a notebook differs from its declarations, 0 when every one follows them."""
    from graders.grade import select_practices
    from graders.practices import DeclarationError
    from graders.practices.cells import notebook_problems
    from graders.practices.discover import course_root

    differ = False
    for notebook in args.notebooks:
        _check_readable(notebook)
        folder = Path(notebook).resolve().parent
        course = args.course if args.course is not None else course_root(folder)  # the notebook's course
        try:
            practices = select_practices(None, args.assignment or folder.name, course)
            problems = notebook_problems(notebook, practices)
        except (DeclarationError, ValueError, OSError) as exc:
            raise UsageError(f"{notebook}: {exc}") from None
        for problem in problems:
            print(f"{notebook}: {problem}")
        if not problems:
            print(_("{notebook}: follows the declarations of {practices}").format(
                notebook=notebook, practices=", ".join(p.name for p in practices)))
        differ |= bool(problems)
    return 1 if differ else 0


def run_describe(args) -> int:
    from graders.present.text import format_description
    from graders.practices.describe import describe_function

    path, sep, function = args.target.rpartition(":")
    if not sep or not path or not function.isidentifier():
        raise UsageError(_("expected FILE:FUNCTION, got {target}").format(target=repr(args.target)))
    _check_readable(path)
    try:
        description = describe_function(path, function, args.timeout)
    except ValueError as exc:
        print(f"graders describe: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(description, indent=2) if args.json else format_description(description))
    return 0


#: characters a student's text may carry that would restyle or rewrite the terminal (all but newline and tab)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters and unencodable ones (lone surrogates) escaped."""
    text = _CONTROL.sub(lambda match: ascii(match.group())[1:-1], text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_readable(path: str) -> None:
    target = Path(path)
    if not target.is_file():
        raise UsageError(_("{path}: no such file").format(path=path))
    if not os.access(target, os.R_OK):
        raise UsageError(_("{path}: cannot be read (permission denied)").format(path=path))


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be more than 0"))
    return value


if __name__ == "__main__":
    sys.exit(main())
