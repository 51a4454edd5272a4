"""Agency-aware document details: the symbol, the signature block, recipients and distribution
follow the kind of agency; the header never breaks inside a place's name."""

import pytest

from app.agency import abbreviation, agency_details, header_lines


@pytest.mark.parametrize("name, abbr", [("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"),
                                        ("Sở Giáo dục và Đào tạo", "SGDĐT"),
                                        ("Sở Nội vụ tỉnh Ninh Bình", "SNV"),
                                        ("Ủy ban nhân dân tỉnh Hà Nam", "UBND")])
def test_abbreviations(name, abbr):
    assert abbreviation(name) == abbr


def test_a_department_is_not_the_peoples_committee():
    d = agency_details("so", "Sở Nội vụ", "Ninh Bình")
    assert d.default_symbol == "BC-SNV" and d.level == "so_nganh"
    assert (d.signer_authority, d.signer_position) == ("", "GIÁM ĐỐC")
    assert d.governing_body == "UBND tỉnh Ninh Bình"
    assert d.recipients == ["Ủy ban nhân dân tỉnh Ninh Bình"]
    assert d.distribution == ["Như trên", "Lưu: VT"]
    deputy = agency_details("so", "Sở Tư pháp", "Ninh Bình", role="deputy")
    assert (deputy.signer_authority, deputy.signer_position) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert "Sở Nội vụ tỉnh Ninh Bình" in deputy.distribution  # a copy to the home affairs dept


def test_a_peoples_committee_signs_on_behalf_of_the_collective():
    d = agency_details("ubnd_tinh", "", "Hà Nam", role="deputy")
    assert d.agency_name == "Ủy ban nhân dân tỉnh Hà Nam" and d.default_symbol == "BC-UBND"
    assert (d.signer_authority, d.signer_position) == ("TM. ỦY BAN NHÂN DÂN",
                                                       "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert agency_details("ubnd_tinh", "", "Hà Nội").agency_name.endswith("thành phố Hà Nội")
    user_code = agency_details("so", "Sở Nội vụ", "Huế", code="snv-ttdl")
    assert user_code.default_symbol == "BC-SNV-TTDL"


@pytest.mark.parametrize("name, lines", [
    ("Sở Nội vụ tỉnh Ninh Bình", ["SỞ NỘI VỤ", "TỈNH NINH BÌNH"]),
    ("Ủy ban nhân dân tỉnh Hà Nam", ["ỦY BAN NHÂN DÂN", "TỈNH HÀ NAM"]),
    ("Ủy ban nhân dân Thành phố Hồ Chí Minh", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ", "HỒ CHÍ MINH"]),
    ("Sở Xây dựng", ["SỞ XÂY DỰNG"]),
    ("Sở Nông nghiệp và Môi trường\ntỉnh Ninh Bình", ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
                                                    "TỈNH NINH BÌNH"]),  # the user's break
])
def test_header_lines_break_only_between_names(name, lines):
    assert header_lines(name) == lines


def test_the_users_own_breaks_are_kept_while_they_spell_the_name():
    chosen = ["Sở Nông nghiệp", "và Môi trường"]
    assert header_lines("Sở Nông nghiệp và Môi trường", chosen) == ["SỞ NÔNG NGHIỆP",
                                                                   "VÀ MÔI TRƯỜNG"]
    # renamed since: the old breaks no longer spell it, the automatic rule applies
    assert header_lines("Sở Nội vụ tỉnh Huế", chosen) == ["SỞ NỘI VỤ", "TỈNH HUẾ"]


def test_chosen_lines_are_saved_with_the_report_and_reach_the_header(tmp_path):
    from app.export.context import build_context
    from app.sample import sample_report
    from app.storage import load_report, save_report

    r = sample_report()
    r.unit.name = "Sở Nông nghiệp và Môi trường tỉnh Hà Nam"
    r.document.issuer_lines = ["Sở Nông nghiệp", "và Môi trường tỉnh Hà Nam"]
    save_report(r, tmp_path / "r.cchc")
    back = load_report(tmp_path / "r.cchc")
    assert back.document.issuer_lines == r.document.issuer_lines
    assert build_context(back)["co_quan_ban_hanh"] == ["SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG TỈNH HÀ NAM"]
    r.document.issuer_lines = []
    save_report(r, tmp_path / "r.cchc")
    assert "issuer_lines" not in (tmp_path / "r.cchc").read_text("utf-8")
