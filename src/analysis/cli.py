"""``python -m analysis``: validate, tables, report, answer, email, synth.

Each subcommand parses its options here and hands over to one function of the module that owns
the work; exit status 0 on success, 1 on a failed run, 2 on bad input or bad options.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
from pathlib import Path

from analysis import __version__
from analysis.config import ConfigError, load_config
from analysis.core.calendar import parse_month
from analysis.exports.output_folder import OutputError
from analysis.inputs.coverage import CoverageError
from analysis.inputs.findings import InputError
from analysis.paths import REPORTS_DIR, SAMPLE_DATA


def _month(text: str):
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _months(text: str):
    """``YYYY-MM`` or a range ``YYYY-MM:YYYY-MM``."""
    from analysis.core.calendar import month_range

    first, _, last = text.partition(":")
    try:
        return list(month_range(first, last or first))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _existing_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder")
    return path


def _window_and_folders(p: argparse.ArgumentParser, window: str) -> None:
    """``--from``, ``--data``, ``--out`` and ``--config`` as ``report`` and ``answer`` take them."""
    p.add_argument("--from", dest="window_start", type=_month, help=f"first month of the {window}")
    p.add_argument("--data", type=_existing_dir, default=SAMPLE_DATA, help="data folder (default: data/sample)")
    p.add_argument("--out", type=Path, default=REPORTS_DIR, help="reports folder (default: reports/)")
    p.add_argument("--config", type=Path, help="TOML file overriding config/default.toml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Supervision compliance and caseload reports for children's social care.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help="check a data folder and list every problem",
        description="Check the four tables of a data folder; exit 2 on any error.",
    )
    p.add_argument("--data", type=_existing_dir, required=True, help="folder holding the four tables")
    p.add_argument("--config", type=Path, help="TOML file overriding config/default.toml")

    p = sub.add_parser(
        "tables",
        help="write the CSV tables for a month",
        description="Compute the month's tables and write them as CSV into --out.",
    )
    p.add_argument("--data", type=_existing_dir, required=True, help="folder holding the four tables")
    p.add_argument("--month", type=_month, required=True, help="report month, YYYY-MM")
    p.add_argument(
        "--from",
        dest="window_start",
        type=_month,
        help="first month of the trend window (default: three months before --month)",
    )
    p.add_argument("--config", type=Path, help="TOML file overriding config/default.toml")
    p.add_argument("--out", type=Path, required=True, help="folder the CSVs are written into")

    p = sub.add_parser(
        "report",
        help="write the month's HTML reports, tables and manifest",
        description="Render the reports for one month or a range of months into OUT/YYYY-MM/.",
    )
    p.add_argument("--month", type=_months, required=True, help="YYYY-MM, or YYYY-MM:YYYY-MM for a batch")
    _window_and_folders(p, "trend window (default: three months before each month)")
    p.add_argument(
        "--lang",
        choices=["en", "cy", "both"],
        default=None,
        help="language of the reports and team pages (default: the [report] languages setting; both: English "
        "and Welsh, side by side)",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="run each notebook with Papermill and convert it with nbconvert, one at a time, as from their own "
        "command lines (slower; the same reports)",
    )

    p = sub.add_parser(
        "answer",
        help="write the committee answer to a councillor's question (Word and PDF, English and Welsh)",
        description="Write OUT/YYYY-MM/answer/: the response to a councillor's question, as Word and tagged PDF, "
        "in English, Welsh or both, every figure from the month's tables.",
    )
    p.add_argument("--month", type=_month, required=True, help="report month, YYYY-MM")
    _window_and_folders(p, "comparison (default: three months before --month)")
    p.add_argument(
        "--question",
        type=Path,
        help="TOML (or plain text) file with the question and the paper's heading (default: the sample's)",
    )
    p.add_argument(
        "--lang", choices=["en", "cy", "both"], default="both", help="language of the answer (default: both)"
    )

    p = sub.add_parser(
        "email",
        help="email the leadership reports for a month",
        description="Send supervision.html and caseload.html by SMTP; settings from "
        "SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_AUTH, SMTP_USER, SMTP_PASSWORD, "
        "REPORT_FROM and REPORT_TO (or a git-ignored .env).",
    )
    p.add_argument("--month", type=_month, required=True, help="report month, YYYY-MM")
    p.add_argument("--reports", type=Path, default=REPORTS_DIR, help="reports folder (default: reports/)")
    p.add_argument("--dry-run", action="store_true", help="write email.eml instead of sending")
    p.add_argument("--resend", action="store_true", help="send even if this month was sent before")
    p.add_argument(
        "--lang",
        choices=["en", "cy", "both"],
        default=None,
        help="language of the email and the reports attached (default: those the report was made in; both: "
        "Welsh first)",
    )

    p = sub.add_parser(
        "synth",
        help="write a synthetic authority",
        description="Write the four tables of a deterministic synthetic authority.",
    )
    p.add_argument("--out", type=Path, required=True, help="folder to write the tables into")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the sample's)")
    p.add_argument("--staff", type=int, default=None, help="number of people (default: the sample's)")
    p.add_argument("--start", type=_month, default=None, help="first month of records")
    p.add_argument("--end", type=_month, default=None, help="last month of records")
    return parser


def main(argv: list[str] | None = None) -> int:
    # nbformat validates notebooks with jsonschema, which imports rfc3987_syntax when JupyterLab's
    # packages are installed (make lab); that module compiles a grammar on import, 0.9 s of every
    # report. Notebooks hold no IRI to check, so this process goes without it (an ImportError,
    # as jsonschema expects when the package is absent).
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            from analysis.inputs.validation import validate_command

            return validate_command(args.data, load_config(args.config))
        if args.command == "tables":
            from analysis.exports.table_files import tables_command

            return tables_command(args.data, args.month, args.window_start, load_config(args.config), args.out)
        if args.command == "report":
            from analysis.report.build import report_command

            config = load_config(args.config)  # read once, before any kernel starts
            languages = {"en": ("en",), "cy": ("cy",), "both": ("en", "cy")}.get(args.lang) if args.lang else None
            return report_command(
                args.month,
                args.window_start,
                args.data,
                args.out,
                args.config,
                config=config,
                plain=args.plain,
                languages=languages,
            )
        if args.command == "answer":
            from analysis.answer.command import answer_command

            return answer_command(
                args.month, args.window_start, args.data, args.out, load_config(args.config), args.question, args.lang
            )
        if args.command == "email":
            from analysis.delivery.command import email_command

            return email_command(args.month, args.reports, dry_run=args.dry_run, resend=args.resend, lang=args.lang)
        if args.command == "synth":
            from analysis.exports.output_folder import check
            from analysis.synth.command import synth_command

            check(args.out)
            return synth_command(args.out, seed=args.seed, staff=args.staff, start=args.start, end=args.end)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        from analysis.inputs.validation import count_line, report_lines

        for line in report_lines(exc.findings):
            print(line, file=sys.stderr)
        print(
            f"error: {count_line(exc.findings, len({f.file for f in exc.findings}))}; nothing was written.",
            file=sys.stderr,
        )
        return 2
    except (CoverageError, OutputError) as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return 2
    return 2


def run() -> None:
    """The command line's entry point (``python -m analysis``, the ``analysis`` script): ``main``,
    then the process ends at once with its exit status.

    Every file is written and closed by the time ``main`` returns. Tearing the interpreter down
    after that frees the report's modules (nbconvert, pandas, pyarrow) one by one: 0.2 s of every
    command, a tenth of a month's report. The exit handlers run and the streams are flushed first.
    """
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # not CPython: the usual exit
        sys.exit(code)
    run_exit_handlers()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if code is None else code)
