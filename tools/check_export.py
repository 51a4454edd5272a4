"""Check an exported Word report and Excel annex as a user would see them: both open (python-docx,
openpyxl), the Word text holds Vietnamese number formats ("1.675", "97,37%") and the national
motto, and the annex has filled cells. Used by tools/frozen_check.sh and tools/windows_smoke.sh
on the sample report's export.

    python3 tools/check_export.py REPORT.docx ANNEX.xlsx     # exit 0 when both are right
"""

from __future__ import annotations

import sys

import docx
import openpyxl

EXPECTED = ("1.675", "97,37%", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def main(docx_path: str, xlsx_path: str) -> int:
    doc = docx.Document(docx_path)
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    missing = [s for s in EXPECTED if s not in text]
    wb = openpyxl.load_workbook(xlsx_path, read_only=True)
    cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                if v is not None)
    print(f"  docx: {len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables;"
          f" xlsx: {len(wb.sheetnames)} sheets, {cells} filled cells")
    if missing:
        print(f"  missing from the Word text: {missing}")
    return 1 if missing or not cells else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
