"""The ``graders report`` command: read JSON Lines and/or a gradebook, write the report folder."""

from __future__ import annotations

import argparse
import sys

from graders.report.inputs import InputError, read_differences, read_gradebook, read_jsonl
from graders.report.text import ntr, tr

#: the default of ``--at-risk``, in percent (graders.report.risk.DEFAULT_AT_RISK, which loads the practices)
DEFAULT_AT_RISK = 60.0

#: the exit status of ``graders`` for a usage error or an input it cannot read
USAGE_ERROR = 2


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Adds the ``report`` subcommand to an argparse ``subparsers`` object; returns its parser.

    The parser's default ``run`` is :func:`run`, as ``graders.cli.main`` expects.
    """
    parser = subparsers.add_parser(
        "report",
        help=tr("write instructor reports: a class dashboard and a page per student"),
        description=tr(
            "Write OUTDIR/index.html (the students, those at risk first with their reasons; score "
            "histograms, criterion pass rates, common mistakes by cause), OUTDIR/students/NAME.html "
            "and OUTDIR/class.csv (student id, names, email, scores) from the JSON Lines of "
            "`graders grade --json` and/or an nbgrader course's gradebook."
        ),
    )
    parser.add_argument("outdir", metavar="OUTDIR", help=tr("a new or empty folder, or a previous report to replace"))
    parser.add_argument("--jsonl", action="append", default=[], metavar="FILE",
                        help=tr("output of `graders grade --json` (repeatable)"))
    parser.add_argument("--gradebook", metavar="COURSE_DIR",
                        help=tr("an nbgrader course folder; its gradebook.db gives the scores of record"))
    parser.add_argument("--at-risk", type=percent, default=DEFAULT_AT_RISK, metavar="PERCENT",
                        help=tr("mark a student at risk below this share of the points (default {default}), as "
                                "well as for a failed practice, a grader error or scores that differ").format(
                            default=f"{DEFAULT_AT_RISK:g}"))
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Runs ``graders report`` with parsed arguments; returns the exit code.

    Prints a warning line on stderr per skipped input line and a one-line
    summary on stdout. Returns 2 with a one-line message on stderr when no
    input is given or an input or OUTDIR cannot be used, like the other
    usage errors of ``graders``, and 1 when writing the report fails.
    """
    from graders.report.roster import build_roster
    from graders.report.write import OutdirError, write_report

    try:
        if not args.jsonl and not args.gradebook:
            raise InputError(tr("give reports with --jsonl FILE and/or a course with --gradebook COURSE_DIR"))
        reports, warnings = read_jsonl(args.jsonl)
        gradebook = read_gradebook(args.gradebook) if args.gradebook else None
        scores = gradebook.scores if gradebook else None
        differed = read_differences(args.gradebook) if args.gradebook else []
        for warning in warnings:
            print(f"graders report: {warning}", file=sys.stderr)
        if not reports and not scores:
            raise InputError(tr("no student reports found in the input"))
        dashboard = write_report(args.outdir, reports, scores, differed,
                                 people=gradebook.people if gradebook else None, at_risk=args.at_risk,
                                 maxima=gradebook.maxima if gradebook else None)
    except (InputError, OutdirError) as exc:
        print(f"graders report: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:  # a full disk or a folder without write permission
        print("graders report: " + tr("cannot write {path}: {error}").format(path=exc.filename or args.outdir,
                                                                           error=exc.strerror or exc),
              file=sys.stderr)
        return 1
    print(summary_line(build_roster(reports, scores, maxima=gradebook.maxima if gradebook else None), dashboard))
    return 0


def percent(text: str) -> float:
    """``--at-risk``'s value: a number from 0 to 100, with or without a ``%`` sign."""
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{value} is not a percentage (a number from 0 to 100)").format(value=repr(text))) from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(tr("{value} is not a percentage from 0 to 100").format(value=repr(text)))
    return value


def summary_line(students, dashboard) -> str:
    """``5 students, mean total 17.38 / 30; dashboard: OUT/index.html``."""
    from graders.report.stats import class_max_total, mean

    average = mean([s.total for s in students])
    top = class_max_total(students)
    out_of = f" / {top:g}" if top else ""
    return ntr("{count} student, mean total {mean}{out_of}; dashboard: {dashboard}",
               "{count} students, mean total {mean}{out_of}; dashboard: {dashboard}", len(students)).format(
        count=len(students), mean=f"{average or 0:.2f}", out_of=out_of, dashboard=dashboard)


def main(argv: list[str] | None = None) -> int:
    """``python -m graders.report``: the command without the rest of the ``graders`` CLI."""
    parser = argparse.ArgumentParser(prog="graders")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report", *(argv if argv is not None else sys.argv[1:])])
    return args.run(args)
