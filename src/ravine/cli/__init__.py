"""The ``ravine`` command line: a thin shell over the studies, the store and the report.

``main(argv)`` parses arguments, runs one command and returns its exit status:
0 on success, 1 when a computation failed (e.g. a demo study raised), 2 for a
user error (bad option, malformed STUDY.toml, unknown name, unwritable folder),
130 when interrupted.  User errors print one paragraph, never a traceback.
This package is the only place in ravine that prints or exits.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Sequence

from ravine.errors import RavineError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USER_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ravine`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    from ravine.cli.parser import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(None if argv is None else list(argv))
    except SystemExit as exc:  # --help (0) or argparse's own usage error (2), already printed
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USER_ERROR
    try:
        return int(args.handler(args))
    except RavineError as exc:
        print(error_paragraph(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("ravine: interrupted. Finished work is saved; run the same command with --resume to continue.",
              file=sys.stderr)
        return EXIT_INTERRUPTED


def error_paragraph(exc: BaseException) -> str:
    """One wrapped paragraph: ``ravine: error: <message>``."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return textwrap.fill(f"ravine: error: {message}", width=100, break_on_hyphens=False,
                         break_long_words=False)
