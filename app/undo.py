"""Undo commands that apply and revert edits on a Report; no Qt here.

The UI wraps each command in a QUndoCommand. Consecutive edits of one field within one typing
session merge into one command, so that undo takes back the whole word the user typed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from app.model import Entry, Report


@dataclass
class EditCommand:
    """Base: `session` identifies one uninterrupted run of typing in one field."""

    session: int = 0

    def apply(self, report: Report) -> None:
        raise NotImplementedError

    def revert(self, report: Report) -> None:
        raise NotImplementedError

    @property
    def target(self) -> tuple[str, ...]:
        raise NotImplementedError

    def can_merge(self, other: EditCommand) -> bool:
        return (type(other) is type(self) and other.target == self.target
                and other.session == self.session and self.session != 0)

    def merge(self, other: EditCommand) -> None:
        raise NotImplementedError

    @property
    def is_noop(self) -> bool:
        raise NotImplementedError


@dataclass
class SetValue(EditCommand):
    """Set a figure; None means "not reported" (the key is removed, never set to 0); Invalid
    is text that does not parse (the figure holds no value)."""

    key: str = ""
    old: Entry = None
    new: Entry = None

    @classmethod
    def of(cls, report: Report, key: str, new: Entry, session: int = 0) -> SetValue:
        return cls(session=session, key=key, old=report.entry(key), new=new)

    def apply(self, report: Report) -> None:
        report.set_value(self.key, self.new)

    def revert(self, report: Report) -> None:
        report.set_value(self.key, self.old)

    @property
    def target(self) -> tuple[str, ...]:
        return ("value", self.key)

    def merge(self, other: EditCommand) -> None:
        assert isinstance(other, SetValue)
        self.new = other.new

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and type(self.old) is type(self.new)


@dataclass
class SetText(EditCommand):
    """Set an explanation (part="explanations") or a narrative section (part="narrative")."""

    part: str = "narrative"
    key: str = ""
    old: str = ""
    new: str = ""

    @classmethod
    def of(cls, report: Report, part: str, key: str, new: str, session: int = 0) -> SetText:
        old = getattr(report, part).get(key, "")
        return cls(session=session, part=part, key=key, old=old, new=new)

    def apply(self, report: Report) -> None:
        report.set_text(self.part, self.key, self.new)

    def revert(self, report: Report) -> None:
        report.set_text(self.part, self.key, self.old)

    @property
    def target(self) -> tuple[str, ...]:
        return (self.part, self.key)

    def merge(self, other: EditCommand) -> None:
        assert isinstance(other, SetText)
        self.new = other.new

    @property
    def is_noop(self) -> bool:
        return self.old == self.new


def _resolve(report: Report, path: str) -> tuple[Any, str]:
    *parents, attr = path.split(".")
    obj: Any = report
    for name in parents:
        obj = getattr(obj, name)
    return obj, attr


def get_field(report: Report, path: str) -> Any:
    obj, attr = _resolve(report, path)
    return getattr(obj, attr)


@dataclass
class SetField(EditCommand):
    """Set a unit, period or document attribute by dotted path ("document.signer.name")."""

    path: str = ""
    old: Any = None
    new: Any = None

    @classmethod
    def of(cls, report: Report, path: str, new: Any, session: int = 0) -> SetField:
        return cls(session=session, path=path, old=copy.deepcopy(get_field(report, path)),
                   new=copy.deepcopy(new))

    def _set(self, report: Report, value: Any) -> None:
        obj, attr = _resolve(report, self.path)
        if getattr(obj, attr) == value:
            return
        setattr(obj, attr, copy.deepcopy(value))
        report.touch(self.path.split(".", 1)[0])

    def apply(self, report: Report) -> None:
        self._set(report, self.new)

    def revert(self, report: Report) -> None:
        self._set(report, self.old)

    @property
    def target(self) -> tuple[str, ...]:
        return ("field", self.path)

    def merge(self, other: EditCommand) -> None:
        assert isinstance(other, SetField)
        self.new = copy.deepcopy(other.new)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new


@dataclass
class SetLevelValue(EditCommand):
    """Set a figure of one level of local government (`Report.by_level`); None removes it."""

    level: str = ""
    key: str = ""
    old: Any = None
    new: Any = None

    @classmethod
    def of(cls, report: Report, level: str, key: str, new: Any, session: int = 0) -> SetLevelValue:
        return cls(session=session, level=level, key=key, old=report.level_value(level, key),
                   new=new)

    def apply(self, report: Report) -> None:
        report.set_level_value(self.level, self.key, self.new)

    def revert(self, report: Report) -> None:
        report.set_level_value(self.level, self.key, self.old)

    @property
    def target(self) -> tuple[str, ...]:
        return ("by_level", self.level, self.key)

    def merge(self, other: EditCommand) -> None:
        assert isinstance(other, SetLevelValue)
        self.new = other.new

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and type(self.old) is type(self.new)
