"""The family of errors a user may see.

Every error that reaches a user derives from `UserError`: its `problems` are Vietnamese lines,
each naming the file or field, the value and the rule. Front ends rely on the family:

- the command line prints `one_line()` on stderr and exits 2 (`ExportBlocked` exits 1);
- the window shows `problems` in a message box;
- anything outside the family is a bug: the command line exits 3 and the window reports an
  internal error with a log file — never `repr()` of an exception.
"""

from __future__ import annotations


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
