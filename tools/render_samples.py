"""Render the sample report and a sparse one (half the figures blank) page by page, as a reader
at the Sở Nội vụ sees them: Word → PDF with LibreOffice → PNG pages in docs/renders/.

    python tools/render_samples.py [--out docs/renders] [--keep]

Writes docs/renders/<name>-<page>.png for: `mau` (the sample of `python -m app sample`, final),
`thua-chinh-thuc` (the sparse report, final: the drafter explained every warning) and
`thua-du-thao` (the sparse report, draft: holes marked). Prints the sparse report's generated
dossier paragraph (final and draft). Needs soffice and pdftoppm on PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# figures a published report gives even when it gives little: kept in the sparse report
KEEP = {"ho_so_tiep_nhan", "ho_so_da_giai_quyet", "ho_so_qua_han", "cs_par_diem",
        "cs_par_xep_hang", "mot_cua_so_nganh_tong", "vbqppl_ban_hanh", "bien_che_nam_goc"}


def sparse_values(values: dict) -> dict:
    """Half the figures blank: every second indicator of the catalogue order, except a few a
    real report always gives; the on-time dossiers only as the combined figure."""
    from app.catalog import load_catalog

    cat = load_catalog()
    keys = [k for k in cat.indicators if k in values]
    out = {k: values[k] for i, k in enumerate(keys) if i % 2 == 0 or k in KEEP}
    if "ho_so_truoc_va_dung_han" in cat.indicators:
        # many published reports give only "trước hạn và đúng hạn"
        on_time = values.get("ho_so_truoc_han", 0) + values.get("ho_so_dung_han", 0)
        out.pop("ho_so_truoc_han", None)
        out.pop("ho_so_dung_han", None)
        out["ho_so_truoc_va_dung_han"] = on_time
    return out


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def to_pages(docx: Path, out_dir: Path, name: str, work: Path) -> list[Path]:
    profile = work / f"lo-{name}"
    env = dict(os.environ, LC_ALL="vi_VN.UTF-8")
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work), str(docx)], env=env, timeout=240)
    pdf = work / (docx.stem + ".pdf")
    for old in out_dir.glob(f"{name}-*.png"):
        old.unlink()
    run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out_dir / name)], timeout=120)
    return sorted(out_dir.glob(f"{name}-*.png"))


def dossier_paragraph(report, draft: bool) -> tuple[str, str]:
    from app.export.context import build_context

    ctx = build_context(report, draft=draft)
    return ctx["cau_van"]["ho_so"], ctx["cau_van_thieu"]["ho_so"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "renders"))
    ap.add_argument("--keep", action="store_true", help="keep the .docx/.pdf in the out folder")
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    from app.storage import load_report, save_report
    from app.validation import validate

    with tempfile.TemporaryDirectory(prefix="cchc-renders-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, CCHC_CONFIG_DIR=str(work / "cfg"), CCHC_DATA_DIR=str(work / "data"))
        sample = work / "mau.cchc"
        run([sys.executable, "-m", "app", "sample", "--out", str(sample)], cwd=ROOT, env=env)
        report = load_report(sample)
        report.values = sparse_values(report.values)
        for f in validate(report):  # the drafter explains every warning before a final export
            if f.severity == "warning":
                report.explanations.setdefault(
                    f.explanation_key, "Số liệu chưa được tổng hợp đầy đủ trong kỳ báo cáo.")
        sparse = work / "thua.cchc"
        save_report(report, sparse)
        jobs = [("mau", sample, []), ("thua-chinh-thuc", sparse, []),
                ("thua-du-thao", sparse, ["--draft"])]
        for name, src, extra in jobs:
            docx, xlsx = work / f"{name}.docx", work / f"{name}.xlsx"
            done = subprocess.run([sys.executable, "-m", "app", "export", str(src), "--docx",
                                   str(docx), "--xlsx", str(xlsx), *extra], cwd=ROOT, env=env,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: export failed ({done.returncode}): {done.stderr.strip()}",
                      file=sys.stderr)
                return 1
            pages = to_pages(docx, out_dir, name, work)
            print(f"{name}: {len(pages)} trang → {out_dir}")
            if args.keep:
                shutil.copy2(docx, out_dir / docx.name)
        for draft in (False, True):
            text, holes = dossier_paragraph(load_report(sparse), draft)
            print(json.dumps({"draft": draft, "ho_so": text, "thieu": holes}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
