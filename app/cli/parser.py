"""An argparse parser that speaks Vietnamese and raises UsageError instead of exiting.

argparse marks its own messages for gettext (`argparse._`); the command line is a short-lived
process, so its messages are translated by replacing that function with a table lookup.
"""

from __future__ import annotations

import argparse

from app.errors import UsageError

_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in phiên bản chương trình rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không hiểu được: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không có: %(value)r (chọn một trong %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "one of the arguments %s is required": "cần một trong các tham số %s",
}


def _vi(message: str) -> str:
    return _VI.get(message, message)


def _vi_n(singular: str, plural: str, n: int) -> str:
    return _vi(singular if n == 1 else plural)


argparse._ = _vi  # type: ignore[attr-defined]
argparse.ngettext = _vi_n  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """Raises UsageError (Vietnamese) where argparse would print English and exit."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"cách dùng không đúng: {message} (xem “{self.prog} --help”).")


def new_parser(prog: str, description: str) -> Parser:
    return Parser(prog=prog, description=description, add_help=True)
