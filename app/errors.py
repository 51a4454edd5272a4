"""The family of errors a user may see.

Every error that reaches a user derives from `UserError`: its `problems` are Vietnamese lines,
each naming the file or field, the value and the rule. Front ends rely on the family:

- the command line prints `one_line()` on stderr and exits 2 (`ExportBlocked` exits 1);
- the window shows `problems` in a message box;
- anything outside the family is a bug: the command line exits 3 and the window reports an
  internal error with a log file — never `repr()` of an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class UserError(Exception):
    """An error to show the user as it is. `problems` are Vietnamese lines; str() joins them."""

    def __init__(self, *args: object, problems: list[str] | None = None) -> None:
        super().__init__(*args)
        if problems is not None:
            self.problems = list(problems)

    @property
    def problems(self) -> list[str]:
        stored = self.__dict__.get("_problems")
        if stored is not None:
            return stored
        text = str(self)
        return [text] if text else []

    @problems.setter
    def problems(self, value: list[str]) -> None:
        self.__dict__["_problems"] = list(value)

    def one_line(self) -> str:
        """The problems as one line for a terminal (no newline inside)."""
        return "; ".join(p.replace("\n", " ") for p in self.problems) or self.__class__.__name__


class UsageError(UserError):
    """The command line was used wrongly or given a file it cannot use: exit 2."""


class UserCancelled(Exception):
    """The user chose not to go on (answered "no", closed a dialog): not an error."""


def write_error_log(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error (a bug) to a log file in the per-user data
    folder, for the user to send to the maintainers; None when even that cannot be written."""
    import traceback
    from datetime import datetime

    from app import APP_NAME, __version__

    try:
        from app.settings import data_dir

        folder = data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"loi-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        path.write_text(f"{APP_NAME} {__version__}\n" + "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)), encoding="utf-8")
        return path
    except Exception:  # noqa: BLE001 - the log is a courtesy; the caller still reports the bug
        return None


def describe_failure(exc: BaseException) -> list[str]:
    """What to tell the user about a failure: a user-facing error's own problems; anything else
    is an internal error, logged, and named as such (never the exception's repr)."""
    if isinstance(exc, UserError):
        return exc.problems or [str(exc)]
    log = write_error_log(exc)
    return ["Lỗi nội bộ của chương trình (không phải do dữ liệu của bạn)"
            + (f"; chi tiết đã ghi vào {log}." if log else ".")]
