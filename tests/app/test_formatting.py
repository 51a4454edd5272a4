"""Every formatting case of reference.md §8, plus the parser of what users type."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.formatting import (
    MISSING,
    ParseError,
    format_count,
    format_date_nd30,
    format_decimal,
    format_money,
    format_number_line,
    format_percent,
    format_period_title,
    format_place_date,
    format_rank,
    format_rank_change,
    format_ratio,
    format_year,
    parse_number,
)


@pytest.mark.parametrize("value, text", [
    (266, "266"), (1675, "1.675"), (59, "59"), (6522, "6.522"), (11700, "11.700"),
    (38833, "38.833"), (17959, "17.959"), (24_000_000, "24.000.000"), (0, "0"),
    (257141, "257.141"), (7498, "7.498"),
])
def test_counts_group_thousands_with_dots(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize("value, text", [
    (97.37, "97,37%"), (96.9, "96,9%"), (100, "100%"), (89.24, "89,24%"), (8.7, "8,7%"),
    (97.365, "97,37%"),   # half-up, not Babel's half-even
    (96.85, "96,85%"), (44.1, "44,1%"), (40.36, "40,36%"), (0, "0%"),
])
def test_percentages_have_up_to_two_decimals(value, text):
    assert format_percent(value) == text


def test_decimals_use_a_comma_and_round_half_up():
    assert format_decimal(8.7) == "8,7"
    assert format_decimal(1758.5) == "1.758,5"
    assert format_decimal(2.675) == "2,68"
    assert format_decimal(96.85, 1) == "96,9"


@pytest.mark.parametrize("a, b, plain, full", [
    (18, 21, "18/21", "18/21 (85,71%)"),
    (8, 8, "8/8", "8/8 (100%)"),
    (3893, 6191, "3.893/6.191", "3.893/6.191 (62,88%)"),
    (6776, 9926, "6.776/9.926", "6.776/9.926 (68,27%)"),
    (53, 63, "53/63", "53/63 (84,13%)"),
    (400, 991, "400/991", "400/991 (40,36%)"),
    (1327, 3009, "1.327/3.009", "1.327/3.009 (44,1%)"),
])
def test_ratios(a, b, plain, full):
    assert format_ratio(a, b) == plain
    assert format_ratio(a, b, with_percent=True) == full


def test_ratio_with_zero_denominator_shows_no_percentage():
    assert format_ratio(0, 0, with_percent=True) == "0/0"
    from app.combining import rate

    assert rate(5, 0) is None
    assert rate(None, 5) is None


@pytest.mark.parametrize("vnd, kwargs, text", [
    (6_300_000_000_000, {}, "6.300 tỷ đồng"),
    (6_722_000_000_000, {}, "6.722 tỷ đồng"),
    (2_800_000_000_000, {"scale": "nghin_ty"}, "2,8 nghìn tỷ đồng"),
    (580_000_000, {}, "580 triệu đồng"),
    (186_500_000_000, {}, "186,5 tỷ đồng"),
    (950_000, {}, "950.000 đồng"),
])
def test_money_uses_scale_words(vnd, kwargs, text):
    assert format_money(vnd, **kwargs) == text


def test_ranks_and_rank_changes():
    assert format_rank(21, 63) == "21/63"
    assert format_rank(11, 34) == "11/34"
    assert format_rank_change(24, 21) == "tăng 03 bậc"
    assert format_rank_change(16, 14) == "tăng 02 bậc"
    assert format_rank_change(20, 25) == "giảm 05 bậc"
    assert format_rank_change(30, 18) == "tăng 12 bậc"
    assert format_rank_change(7, 7) == "giữ nguyên thứ hạng"
    assert format_rank_change(None, 7) == MISSING


@pytest.mark.parametrize("d, text", [
    (date(2021, 3, 5), "ngày 05 tháng 3 năm 2021"),
    (date(2022, 1, 5), "ngày 05 tháng 01 năm 2022"),
    (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
    (date(2024, 12, 14), "ngày 14 tháng 12 năm 2024"),
    (date(2020, 2, 9), "ngày 09 tháng 02 năm 2020"),
])
def test_nd30_dates_pad_the_day_and_only_january_and_february(d, text):
    assert format_date_nd30(d) == text


def test_place_and_date_line():
    assert format_place_date("Hà Nam", date(2021, 3, 5)) == "Hà Nam, ngày 05 tháng 3 năm 2021"


@pytest.mark.parametrize("kind, kw, text", [
    ("quy_1", {"year": 2025}, "quý I năm 2025"),
    ("sau_thang", {"year": 2025}, "6 tháng đầu năm 2025"),
    ("quy_3", {"year": 2025}, "quý III năm 2025"),
    ("chin_thang", {"year": 2025}, "9 tháng năm 2025"),
    ("nam", {"year": 2025}, "năm 2025"),
    ("giai_doan", {"from_year": 2021, "to_year": 2025}, "giai đoạn 2021 - 2025"),
])
def test_period_titles(kind, kw, text):
    assert format_period_title(kind, **kw) == text


def test_number_line_pads_numbers_below_ten():
    assert format_number_line(5, "BC-UBND") == "Số: 05/BC-UBND"
    assert format_number_line(412, "bc-snv") == "Số: 412/BC-SNV"
    assert format_number_line(None, "BC-UBND").startswith("Số:")


def test_years_are_never_grouped():
    assert format_year(2015) == "2015"
    assert format_period_title("nam", 2024) == "năm 2024"


def test_missing_values_show_as_ellipsis():
    assert format_count(None) == MISSING
    assert format_percent(None) == MISSING
    assert format_money(None) == MISSING


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, unit, value", [
    ("1.675", "count", 1675), ("1675", "count", 1675), (" 1 675 ", "count", 1675),
    ("97,37", "percent", 97.37), ("97,37%", "percent", 97.37), ("100", "percent", 100.0),
    ("6.300.000.000.000", "money_vnd", 6_300_000_000_000), ("0", "count", 0),
    ("2015", "year", 2015), ("8,7", "score", 8.7),
])
def test_parse_vietnamese_numbers(text, unit, value):
    parsed = parse_number(text, unit)
    assert parsed.value == value
    assert type(parsed.value) is type(value)


def test_blank_input_is_not_zero():
    assert parse_number("", "count").value is None
    assert parse_number("   ", "percent").value is None


@pytest.mark.parametrize("text, unit, fragment", [
    ("1.5", "count", "không rõ nghĩa"),
    ("97.37", "percent", "97,37"),
    ("1,675", "count", "1.675"),
    ("12a", "count", "không phải là số"),
    ("1,2,3", "percent", "không phải là số"),
    ("2.015", "year", "năm viết liền"),
    ("1.67", "count", "không rõ nghĩa"),
])
def test_ambiguous_or_malformed_input_is_refused_with_a_reason(text, unit, fragment):
    with pytest.raises(ParseError) as exc:
        parse_number(text, unit)
    assert fragment in str(exc.value)
    assert text in str(exc.value)


@given(st.integers(min_value=0, max_value=10**15))
def test_counts_round_trip_through_text(n):
    assert parse_number(format_count(n), "count").value == n


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percentages_round_trip_through_text(d):
    text = format_percent(float(d))
    assert abs(parse_number(text, "percent").value - float(d)) < 1e-9


@pytest.mark.parametrize("text, unit, fragment", [
    ("5517 5", "count", "dấu cách chỉ được dùng để phân cách hàng nghìn"),
    ("1 67", "count", "dấu cách"),
    ("97,3 7", "percent", "dấu cách"),
    ("١٢٣", "count", "chỉ dùng các chữ số 0–9"),
    ("１２", "count", "chỉ dùng các chữ số 0–9"),
    ("12,٣", "percent", "không phải là số"),
    ("1" + "0" * 400, "count", "quá dài"),
    ("1" + "0" * 30, "percent", "quá lớn"),
    ("1,"+ "0" * 30, "percent", "quá lớn"),
    ("inf", "percent", "không phải là số"),
    ("1e308", "count", "không phải là số"),
    ("NaN", "score", "không phải là số"),
])
def test_spaces_foreign_digits_and_huge_numbers_are_refused(text, unit, fragment):
    with pytest.raises(ParseError) as exc:
        parse_number(text, unit)
    assert fragment in str(exc.value)


@given(st.text(max_size=60), st.sampled_from(["count", "percent", "money_vnd", "score", "rank", "year"]))
def test_any_text_parses_to_a_finite_number_blank_or_a_parse_error(text, unit):
    import math

    try:
        value = parse_number(text, unit).value
    except ParseError:
        return
    assert value is None or math.isfinite(value)
    assert value is None or abs(value) < 10**19
