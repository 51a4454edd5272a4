"""`python -m app …` — the command line (architecture.md §2).

All argparse and exit codes live in this package. Exit codes: 0 done; 1 blocked by the rules or
some inputs refused; 2 bad input or usage (one Vietnamese line on stderr, no traceback);
3 internal error (a log file is named). An uncaught exception never exits 1.

Each command lives in a module of this package with `register(subparsers)`, which adds its
parser and sets `run` to the function that serves it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app import APP_NAME, __version__
from app.errors import UsageError, UserError

EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

# name → module; read without importing the modules, so that opening the editor pays nothing
SUBCOMMANDS = {
    "sample": "app.cli.report_commands",
    "validate": "app.cli.report_commands",
    "export": "app.cli.report_commands",
    "consolidate": "app.cli.collect_commands",
    "intake": "app.cli.collect_commands",
    "template": "app.cli.template_commands",
}
REPORT_SUFFIXES = (".cchc", ".cchc.json", ".json")
EDITOR_OPTIONS = ("--terminate-after-init",)


def wants_editor(argv: Sequence[str]) -> bool:
    """True when `python -m app ARGS` opens the editor: no arguments, or report files and the
    editor's own options. A word that is neither a command nor a report file is a usage error
    (never taken for a file to open)."""
    words = [a for a in argv if not a.startswith("-")]
    options = [a for a in argv if a.startswith("-")]
    if any(o not in EDITOR_OPTIONS for o in options):
        return False  # --help, --version, or a command's options
    if not words:
        return True
    first = words[0]
    if first in SUBCOMMANDS:
        return False
    return Path(first).exists() or first.lower().endswith(REPORT_SUFFIXES) or "/" in first \
        or "\\" in first


def _build_parser():  # noqa: ANN202 - an app.cli.parser.Parser
    import importlib

    from app.cli.parser import new_parser

    p = new_parser("python -m app", f"{APP_NAME} {__version__}: soạn báo cáo kết quả cải cách "
                                    f"hành chính. Không có lệnh: mở cửa sổ soạn báo cáo.")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                   help="in phiên bản chương trình rồi thoát")
    sub = p.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")
    for module in dict.fromkeys(SUBCOMMANDS.values()):
        importlib.import_module(module).register(sub)
    return p


def _unknown_command(word: str) -> str:
    return (f"cách dùng không đúng: “{word}” không phải là lệnh hay tệp báo cáo; các lệnh: "
            f"{', '.join(SUBCOMMANDS)} (xem “python -m app --help”).")


def _say(text: str) -> None:
    try:
        print(text, file=sys.stderr)
    except UnicodeEncodeError:  # a console that cannot show Vietnamese
        sys.stderr.buffer.write((text + "\n").encode("utf-8"))
        sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
            raise UsageError(_unknown_command(argv[0]))
        parser = _build_parser()
        if not argv:
            parser.print_help()
            return EXIT_BAD_INPUT
        args = parser.parse_args(argv)
        return int(args.run(args))
    except UserError as exc:
        _say(f"Lỗi: {exc.one_line()}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - a bug: say so, keep the details in a log
        from app.errors import describe_failure

        _say("Lỗi: " + " ".join(describe_failure(exc)))
        return EXIT_INTERNAL
