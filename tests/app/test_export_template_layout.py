"""An export with an administrator's template uses the annex layout its manifest pairs with."""

import openpyxl

from app.export import export_report
from app.paths import builtin_templates_dir
from app.sample import sample_report
from app.templates.library import duplicate_template, read_manifest


def test_export_with_a_duplicated_template_uses_its_edited_annex_layout(tmp_path):
    source = read_manifest(builtin_templates_dir() / "default", builtin=True)
    copy = duplicate_template(source, tmp_path / "mau", new_name="Mẫu của Sở")
    layout = copy.annex_layout_path()
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace('[[trang_tinh]]\nten = "Phụ lục"',
                                   '[[trang_tinh]]\nten = "Biểu tổng hợp"', 1), encoding="utf-8")
    xlsx = tmp_path / "pl.xlsx"
    export_report(sample_report(), xlsx=xlsx, template=copy.folder)
    assert "Biểu tổng hợp" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    default = tmp_path / "default.xlsx"
    export_report(sample_report(), xlsx=default)
    assert "Biểu tổng hợp" not in openpyxl.load_workbook(default, read_only=True).sheetnames
