"""Every Vietnamese text form of a number, date, period, ratio and rank — and the parser of what
users type. No other module formats a number for a reader.

Conventions (shared/domain/reference.md §5, §8): "." groups thousands, "," marks decimals;
percentages carry up to 2 decimals with trailing zeros dropped and school (half-up) rounding;
years are never grouped; Nghị định 30 dates pad the day and only months 1 and 2.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from app.errors import UserError
from app.vocabulary import PERIOD_KIND_LABELS, PERIOD_KINDS, PeriodKind  # noqa: F401 - re-exported

MISSING = "…"  # what a not-reported figure looks like in a document

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# ---------------------------------------------------------------- numbers


def _to_decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    # str() gives the shortest repr, so 97.365 rounds half-up to 97,37 and not 97,36
    return Decimal(repr(float(value)))


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ".".join(reversed(out))


def format_decimal(value: float | int | Decimal, places: int = 2) -> str:
    """1675 → "1.675"; 8.7 → "8,7"; 1758.456 → "1.758,46" (half-up, trailing zeros dropped)."""
    d = _to_decimal(value)
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places else d.quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    sign = "-" if q < 0 else ""
    text = format(abs(q), "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return sign + _group(whole) + ("," + frac if frac else "")


def format_count(value: int | float | None) -> str:
    """A whole number with group separators: 1675 → "1.675"."""
    if value is None:
        return MISSING
    return format_decimal(value, 0)


def format_number(value: float | int | None, places: int = 2) -> str:
    if value is None:
        return MISSING
    return format_decimal(value, places)


def format_percent(value: float | int | None, places: int = 2) -> str:
    """A percentage given on the 0–100 scale: 97.37 → "97,37%", 100 → "100%"."""
    if value is None:
        return MISSING
    return format_decimal(value, places) + "%"


def round_half_up(value: float | int, places: int = 2) -> float | int:
    """A figure rounded as the text writes it (half-up: 97.3737… → 97.37), for a spreadsheet cell
    whose number format shows `places` decimals, so that the cell and the text agree."""
    if isinstance(value, int):
        return value
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def format_ratio(part: int | None, whole: int | None, with_percent: bool = False) -> str:
    """18, 21 → "18/21"; with_percent → "18/21 (85,71%)"."""
    if part is None or whole is None:
        return MISSING
    text = f"{format_count(part)}/{format_count(whole)}"
    if with_percent:
        from app.combining import rate

        pct = rate(part, whole)
        if pct is not None:
            text += f" ({format_percent(pct)})"
    return text


def format_year(year: int | None) -> str:
    """Years are never digit-grouped: 2024 → "2024"."""
    return MISSING if year is None else str(int(year))


_MONEY_SCALES = (
    ("nghin_ty", Decimal(10) ** 12, "nghìn tỷ đồng"),
    ("ty", Decimal(10) ** 9, "tỷ đồng"),
    ("trieu", Decimal(10) ** 6, "triệu đồng"),
    ("dong", Decimal(1), "đồng"),
)


def format_money(vnd: int | float | None, scale: str | None = None, places: int = 2) -> str:
    """Money in đồng with a scale word, as reports write it.

    Automatic scale: "tỷ đồng" from 1 billion ("6.300 tỷ đồng", "6.722 tỷ đồng"), "nghìn tỷ
    đồng" from 10,000 billion, "triệu đồng" from 1 million ("580 triệu đồng"), else "đồng".
    `scale` forces one of "nghin_ty", "ty", "trieu", "dong" ("2,8 nghìn tỷ đồng").
    """
    if vnd is None:
        return MISSING
    amount = _to_decimal(vnd)
    if scale is None:
        a = abs(amount)
        if a >= Decimal(10) ** 13:
            scale = "nghin_ty"
        elif a >= Decimal(10) ** 9:
            scale = "ty"
        elif a >= Decimal(10) ** 6:
            scale = "trieu"
        else:
            scale = "dong"
    for key, factor, word in _MONEY_SCALES:
        if key == scale:
            return f"{format_decimal(amount / factor, places if key != 'dong' else 0)} {word}"
    raise ValueError(f"unknown money scale {scale!r}")


def format_rank(rank: int | None, total: int | None) -> str:
    """21, 63 → "21/63"."""
    if rank is None:
        return MISSING
    if total is None:
        return format_count(rank)
    return f"{format_count(rank)}/{format_count(total)}"


def pad2(n: int) -> str:
    """Leading zero below 10, as house style writes small counts in prose ("03 bậc")."""
    return f"{n:02d}" if 0 <= n < 10 else format_count(n)


def format_rank_change(previous: int | None, current: int | None) -> str:
    """Previous rank 24, current 21 → "tăng 03 bậc"; the other way → "giảm 03 bậc"."""
    if previous is None or current is None:
        return MISSING
    delta = previous - current
    if delta > 0:
        return f"tăng {pad2(delta)} bậc"
    if delta < 0:
        return f"giảm {pad2(-delta)} bậc"
    return "giữ nguyên thứ hạng"


def format_change(current: float | None, previous: float | None, unit: str = "count") -> str:
    """A comparison phrase with the previous period: "tăng 12,5% so với cùng kỳ".

    For percentages and scores the change is in points ("tăng 1,2 điểm %")."""
    if current is None or previous is None:
        return ""
    if unit in ("percent", "score"):
        delta = current - previous
        word = "điểm %" if unit == "percent" else "điểm"
        if abs(delta) < 0.005:
            return "không thay đổi so với cùng kỳ"
        verb = "tăng" if delta > 0 else "giảm"
        return f"{verb} {format_decimal(abs(delta))} {word} so với cùng kỳ"
    if previous == 0:
        if current == 0:
            return "không thay đổi so với cùng kỳ"
        return f"tăng {format_count(current)} so với cùng kỳ (cùng kỳ: 0)"
    pct = (current - previous) * 100.0 / previous
    if abs(pct) < 0.005:
        return "không thay đổi so với cùng kỳ"
    verb = "tăng" if pct > 0 else "giảm"
    return f"{verb} {format_percent(abs(pct))} so với cùng kỳ"


def format_value(unit: str, value: float | int | None) -> str:
    """Format a catalogue value by its unit; None (not reported) → "…"."""
    if value is None:
        return MISSING
    if unit == "percent":
        return format_percent(value)
    if unit == "money_vnd":
        return format_money(value)
    if unit == "year":
        return format_year(int(value))
    if unit == "score":
        return format_number(value)
    return format_count(value)


def format_input(unit: str, value: float | int | None) -> str:
    """How a value is shown inside an input box: grouped digits, no unit word, "" when blank."""
    if value is None:
        return ""
    if unit == "year":
        return format_year(int(value))
    if unit in ("percent", "score"):
        return format_decimal(value, 2)
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, 4)
    return format_decimal(value, 0)


# ---------------------------------------------------------------- dates and document lines


def format_date_nd30(d: date | None) -> str:
    """Nghị định 30 long date: "ngày 05 tháng 3 năm 2021", "ngày 05 tháng 01 năm 2022"."""
    if d is None:
        return "ngày … tháng … năm …"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def format_place_date(place: str, d: date | None) -> str:
    """"Hà Nam, ngày 05 tháng 3 năm 2021"."""
    place = place.strip()
    return f"{place}, {format_date_nd30(d)}" if place else format_date_nd30(d).capitalize()


def format_short_date(d: date | None) -> str:
    """Short form used in prose and tables: "05/3/2025"."""
    if d is None:
        return MISSING
    return f"{d.day:02d}/{d.month}/{d.year}"


def data_window_line(start: date, end: date) -> str:
    """The data-window line under the opening paragraph (writing.md §4):
    "(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"."""
    return f"(Số liệu tính từ ngày {format_short_date(start)} đến ngày {format_short_date(end)})"


def format_number_line(number: int | None, symbol: str) -> str:
    """"Số: 05/BC-UBND"; without a number yet: "Số:      /BC-UBND" for the clerk to fill in."""
    symbol = symbol.strip().upper()
    if number is None:
        return f"Số:       /{symbol}"
    return f"Số: {number:02d}/{symbol}"


def roman_quarter(q: int) -> str:
    return _ROMAN[q]




def format_period_title(kind: str, year: int | None = None, from_year: int | None = None,
                        to_year: int | None = None) -> str:
    """"quý I năm 2025", "6 tháng đầu năm 2025", "9 tháng năm 2025", "năm 2025",
    "giai đoạn 2021 - 2025"."""
    k = PeriodKind(kind)
    if k.is_phase:
        return k.title(f"{format_year(from_year)} - {format_year(to_year)}")
    return k.title(format_year(year))


def fold(text: str) -> str:
    """Lower case without diacritics and with single spaces ("Sở  Tư Pháp" → "so tu phap"), for
    matching names and finding fields whatever the user's accents and capitals."""
    import unicodedata

    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").casefold()
    return " ".join(s.split())


def lower_first(label: str) -> str:
    """Lower-case the first letter of a label used mid-sentence, but keep acronyms ("ĐVSNCL")."""
    if len(label) >= 2 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


# ---------------------------------------------------------------- parsing user input


class ParseError(UserError, ValueError):
    """A typed value that cannot be read; the message is Vietnamese and says why."""


class Parsed(NamedTuple):
    value: int | float | None  # None: the field was left blank (not reported)


# ASCII digits only: `\d` would also take Arabic-Indic or full-width digits, which a figure in a
# Vietnamese report never has (and which would slip past every check that follows)
_PLAIN = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_SPACE_GROUPED = re.compile(r"^[0-9]{1,3}( [0-9]{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
MAX_INPUT_DIGITS = 18  # 10^18: far beyond any figure of a province; keeps every number finite


def parse_number(text: str, unit: str = "count") -> Parsed:
    """Read a number written the Vietnamese way, whatever the Windows regional settings say.

    "1.675" is one thousand six hundred seventy-five; "97,37" is 97.37; "" is blank (not 0).
    A space may group thousands ("1 675") but may not split a number anywhere else ("5517 5").
    Ambiguous or malformed text ("1.5", "97.37", "1,2,3", "12a", "٣", "１２") raises ParseError.
    """
    raw = text
    s = _SPACES.sub(" ", text or "").strip()
    if s == "":
        return Parsed(None)
    if len(s) > 4 * MAX_INPUT_DIGITS:
        raise ParseError(f"“{raw[:40]}…” quá dài để là một số liệu.")
    if unit == "percent" and s.endswith("%"):
        s = s[:-1].rstrip()
        if not s:
            raise ParseError(f"“{raw}” không phải là một số: thiếu chữ số trước dấu %.")
    if s[:1] and s[:1] in "-−":
        s = s[0] + s[1:].lstrip()
    if " " in s:
        head = s[1:] if s[:1] and s[:1] in "-−" else s
        whole_part, comma_, frac_part = head.partition(",")
        if not _SPACE_GROUPED.fullmatch(whole_part) or " " in frac_part:
            raise ParseError(f"“{raw}” không phải là một số: dấu cách chỉ được dùng để phân cách "
                             f"hàng nghìn (1 675), không được chen giữa các chữ số.")
        s = s.replace(" ", "")
    negative = False
    if s[:1] in "-−":
        negative, s = True, s[1:]
    whole, comma, frac = s.partition(",")
    if comma and (not _PLAIN.fullmatch(frac) or not whole):
        raise ParseError(f"“{raw}” không phải là số: sau dấu phẩy thập phân phải là chữ số.")
    if _PLAIN.fullmatch(whole):
        if unit != "year" and len(whole) > 3 and whole.startswith("0"):
            whole = whole.lstrip("0") or "0"
    elif _GROUPED.fullmatch(whole):
        if unit == "year":
            raise ParseError(f"“{raw}”: năm viết liền, không có dấu chấm (ví dụ 2015).")
    elif "." in whole and re.fullmatch(r"[0-9]+(\.[0-9]+)+", whole):
        # "1.5" or "97.37": a dot that cannot be a thousands separator — refuse, do not guess
        suggestion = whole.replace(".", ",")
        raise ParseError(
            f"“{raw}” không rõ nghĩa: dấu chấm chỉ dùng để phân cách hàng nghìn (1.675); "
            f"số thập phân viết bằng dấu phẩy ({suggestion})."
        )
    elif any(c.isdigit() for c in whole):
        raise ParseError(f"“{raw}” không phải là số: chỉ dùng các chữ số 0–9 (không dùng chữ số "
                         f"Ả Rập, chữ số toàn khổ hay ký hiệu khác).")
    else:
        raise ParseError(f"“{raw}” không phải là số.")
    digits = whole.replace(".", "")
    if len(digits.lstrip("0")) > MAX_INPUT_DIGITS or len(frac) > MAX_INPUT_DIGITS:
        raise ParseError(f"“{raw}” quá lớn hoặc quá dài để là một số liệu.")
    try:
        number = Decimal(digits + ("." + frac if comma else ""))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the patterns above
        raise ParseError(f"“{raw}” không phải là số.") from exc
    if negative:
        number = -number
    if comma:
        if unit in ("count", "rank", "year", "money_vnd") and number != number.to_integral_value():
            raise ParseError(
                f"“{raw}” phải là số nguyên; nếu là hàng nghìn, viết bằng dấu chấm "
                f"({format_decimal(Decimal(digits + frac), 0) if len(frac) == 3 else '1.675'})."
            )
    if unit in ("count", "rank", "year", "money_vnd"):
        if number != number.to_integral_value():
            raise ParseError(f"“{raw}” phải là số nguyên.")
        return Parsed(int(number))
    return Parsed(float(number))


# ---------------------------------------------------------------- small numbers in running text
# writing.md §6: one rule for every generated count, rank change and ratio part of a document —
# 1 to 9 written with a leading zero ("09 bộ", "tăng 03 bậc", "06/06") unless the setting turns
# padding off. Zero, percentages, scores, ranks, years, money and dates are never padded.


def pad_small(n: int | float, pad: bool = True) -> str:
    """A whole count in running text: 9 → "09" (pad) or "9"; 0 → "0"; 1675 → "1.675"."""
    if pad and float(n).is_integer() and 1 <= n <= 9:
        return f"0{int(n)}"
    return format_count(n)


def format_count_text(value: int | float | None, pad: bool = True) -> str:
    """A count as a generated sentence writes it ("09", "1.675"); "…" when not reported."""
    return MISSING if value is None else pad_small(value, pad)


def format_ratio_text(part: int | float | None, whole: int | float | None, pad: bool = True) -> str:
    """"18/21", "06/06" (pad): the parts of a ratio in running text; "…" when either is missing."""
    if part is None or whole is None:
        return MISSING
    return f"{pad_small(part, pad)}/{pad_small(whole, pad)}"


def format_rank_delta(delta: int | float | None, pad: bool = True) -> str:
    """Ranks gained (previous rank − rank): 3 → "tăng 03 bậc", −2 → "giảm 02 bậc", 0 → "giữ
    nguyên thứ hạng"; "…" when not known."""
    if delta is None:
        return MISSING
    d = int(delta)
    if d > 0:
        return f"tăng {pad_small(d, pad)} bậc"
    if d < 0:
        return f"giảm {pad_small(-d, pad)} bậc"
    return "giữ nguyên thứ hạng"


def format_points_delta(delta: float | int | None, word: str = "điểm %") -> str:
    """A change of a score: 2.46 → "tăng 2,46 điểm %", −1.2 → "giảm 1,2 điểm %", 0 → "không thay
    đổi"; `word` "điểm" for texts that write the score in points."""
    if delta is None:
        return MISSING
    if abs(delta) < 0.005:
        return "không thay đổi"
    return f"{'tăng' if delta > 0 else 'giảm'} {format_decimal(abs(delta))} {word}"
