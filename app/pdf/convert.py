"""Word report and Excel annex → PDF/A-2b with fonts embedded.

LibreOffice first (found on PATH or in its usual Windows folders), run headless with a private
profile per conversion — so a LibreOffice the user has open does not block it — and a time limit.
Otherwise, on Windows, Microsoft Word (or Excel for the annex) through its automation interface.
With neither, one Vietnamese line saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.pdf import PdfError

TIME_LIMIT_S = 180
INSTALL_HINT = ("Không tìm thấy LibreOffice hoặc Microsoft Word để chuyển sang PDF: hãy cài "
                "LibreOffice (miễn phí, https://vi.libreoffice.org) rồi xuất lại.")
# LibreOffice's PDF export filters and their options: PDF/A-2b (fonts are always embedded)
_LO_FILTERS = {".docx": "writer_pdf_Export", ".xlsx": "calc_pdf_Export"}
_LO_OPTIONS = ('{"SelectPdfVersion":{"type":"long","value":"2"},'
               '"UseTaggedPDF":{"type":"boolean","value":"true"}}')
# the private profile reads numbers and dates the Vietnamese way (1.675; 97,37), whatever the
# machine's own locale: the annex's number formats follow it
_LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class Converter:
    kind: str  # "libreoffice" or "office"
    program: str  # soffice executable, or powershell for Office automation

    @property
    def title(self) -> str:
        return "LibreOffice" if self.kind == "libreoffice" else "Microsoft Office"


def libreoffice_candidates(env: Mapping[str, str], platform: str) -> list[Path]:
    """The usual install folders of LibreOffice on Windows (64- and 32-bit, per-user)."""
    if not platform.startswith("win"):
        return [Path("/opt/libreoffice/program/soffice"),
                Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    roots = [env.get("ProgramFiles", r"C:\Program Files"),
             env.get("ProgramFiles(x86)", r"C:\Program Files (x86)"),
             env.get("ProgramW6432", ""), env.get("LOCALAPPDATA", "")]
    found = []
    for root in filter(None, roots):
        base = Path(root)
        found += [base / "LibreOffice" / "program" / "soffice.exe",
                  *sorted(base.glob("LibreOffice*/program/soffice.exe"), reverse=True)]
        if root == env.get("LOCALAPPDATA"):
            found.append(base / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    return found


def find_converter(env: Mapping[str, str] | None = None,
                   platform: str | None = None) -> Converter | None:
    """LibreOffice when installed, else Office automation on Windows, else None. The variable
    CCHC_SOFFICE names a soffice to use ("" = do not use LibreOffice)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    chosen = env.get("CCHC_SOFFICE")
    if chosen is not None:
        if chosen and Path(chosen).is_file():
            return Converter("libreoffice", chosen)
    else:
        for name in ("soffice", "libreoffice"):
            found = shutil.which(name, path=env.get("PATH"))
            if found:
                return Converter("libreoffice", found)
        for candidate in libreoffice_candidates(env, platform):
            if candidate.is_file():
                return Converter("libreoffice", str(candidate))
    if platform.startswith("win") and _office_installed():
        ps = shutil.which("powershell", path=env.get("PATH")) or "powershell.exe"
        return Converter("office", ps)
    return None


def _office_installed() -> bool:  # pragma: no cover - Windows only
    try:
        import winreg
    except ImportError:
        return False
    for prog_id in ("Word.Application", "Excel.Application"):
        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, prog_id))
            return True
        except OSError:
            continue
    return False


def convert_to_pdf(src: str | os.PathLike[str], out: str | os.PathLike[str],
                   converter: Converter | None = None, time_limit: float = TIME_LIMIT_S) -> Path:
    """Convert a .docx or .xlsx to the PDF `out` (which the caller moves into place)."""
    src, out = Path(src), Path(out)
    if src.suffix.lower() not in _LO_FILTERS:
        raise PdfError(f"{src.name}: chỉ chuyển được tệp .docx hoặc .xlsx sang PDF.")
    converter = converter or find_converter()
    if converter is None:
        raise PdfError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as work:
        if converter.kind == "libreoffice":
            made = _libreoffice(converter.program, src, Path(work), time_limit)
        else:  # pragma: no cover - Windows only
            made = _office(converter.program, src, Path(work), time_limit)
        if not made.is_file() or made.stat().st_size == 0:
            raise PdfError(f"{converter.title} không tạo được tệp PDF từ “{src.name}”.")
        shutil.move(str(made), out)
    return out


def _run(cmd: list[str], title: str, src: Path, time_limit: float,
         env: dict[str, str] | None = None) -> None:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=time_limit, env=env,
                              creationflags=flags, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PdfError(f"{title} không chuyển xong “{src.name}” sang PDF trong "
                       f"{time_limit:g} giây; đã dừng. Hãy thử lại.") from None
    except OSError as exc:
        raise PdfError(f"Không chạy được {title} ({cmd[0]}): {exc.strerror or exc}.") from None
    if done.returncode != 0:
        raise PdfError(f"{title} báo lỗi khi chuyển “{src.name}” sang PDF "
                       f"(mã {done.returncode}).")


def _libreoffice(soffice: str, src: Path, work: Path, time_limit: float) -> Path:
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_LO_PROFILE, encoding="utf-8")
    # a plain ASCII copy: LibreOffice's command line is picky about names on some systems
    local = work / f"in{src.suffix.lower()}"
    shutil.copyfile(src, local)
    target = f"pdf:{_LO_FILTERS[src.suffix.lower()]}:{_LO_OPTIONS}"
    _run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
          "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target,
          "--outdir", str(work), str(local)], "LibreOffice", src, time_limit)
    return work / "in.pdf"


# Word: ExportAsFixedFormat to PDF (17) with ISO 19005 (PDF/A) and document structure tags;
# Excel: ExportAsFixedFormat to PDF (0) with the workbook's own print set-up.
_OFFICE_SCRIPT = r"""
$ErrorActionPreference = 'Stop'
$src = $env:CCHC_SRC; $out = $env:CCHC_OUT
if ($src.ToLower().EndsWith('.docx')) {
  $app = New-Object -ComObject Word.Application
  try {
    $app.Visible = $false; $app.DisplayAlerts = 0
    $doc = $app.Documents.Open($src, $false, $true)
    $doc.ExportAsFixedFormat($out, 17, $false, 0, 0, 1, 1, 0, $true, $true, 0, $true, $true, $true)
    $doc.Close(0)
  } finally { $app.Quit() }
} else {
  $app = New-Object -ComObject Excel.Application
  try {
    $app.Visible = $false; $app.DisplayAlerts = $false
    $wb = $app.Workbooks.Open($src, 0, $true)
    $wb.ExportAsFixedFormat(0, $out)
    $wb.Close($false)
  } finally { $app.Quit() }
}
"""


def _office(powershell: str, src: Path, work: Path, time_limit: float) -> Path:  # pragma: no cover
    out = work / "out.pdf"
    env = dict(os.environ, CCHC_SRC=str(src.resolve()), CCHC_OUT=str(out))
    title = "Microsoft Word" if src.suffix.lower() == ".docx" else "Microsoft Excel"
    _run([powershell, "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
          "-Command", _OFFICE_SCRIPT], title, src, time_limit, env=env)
    return out
