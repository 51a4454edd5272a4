"""The template library: built-in templates (read-only, report_templates/<name>/) and the
administrators' template folder (settings.template_folder, often a shared network folder).

A template is a folder holding a Word file (bao_cao.docx) and a small manifest.toml with its
name, description, version, the report kinds and unit levels it is for, and the Excel annex
layout it pairs with. A bare .docx without a manifest is listed too, with defaults.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UserError
from app.paths import builtin_templates_dir
from app.vocabulary import LEVELS, PERIOD_KIND_LABELS, PERIOD_KINDS

MANIFEST = "manifest.toml"
DEFAULT_DOCX = "bao_cao.docx"
ALL_KINDS = list(PERIOD_KINDS)
ALL_LEVELS = list(LEVELS)
KIND_LABELS = PERIOD_KIND_LABELS


class TemplateLibraryError(UserError):
    """A template folder or manifest cannot be used; str() is one Vietnamese line."""


@dataclass
class TemplateInfo:
    folder: Path
    name: str
    description: str = ""
    version: str = "1.0"
    docx_name: str = DEFAULT_DOCX
    kinds: list[str] = field(default_factory=lambda: list(ALL_KINDS))
    levels: list[str] = field(default_factory=lambda: list(ALL_LEVELS))
    annex_layout: str = ""
    builtin: bool = False
    problems: list[str] = field(default_factory=list)
    # problems of the package's clause file (cau_van.toml), also listed in `problems`
    clause_problems: list[str] = field(default_factory=list)

    @property
    def docx(self) -> Path:
        return self.folder / self.docx_name

    @property
    def key(self) -> str:
        return self.folder.name

    def annex_layout_path(self) -> Path | None:
        """The paired annex layout file, or None for the program's default layout."""
        if not self.annex_layout:
            return None
        p = Path(self.annex_layout)
        return p if p.is_absolute() else (self.folder / p).resolve()

    def suits(self, kind: str | None = None, level: str | None = None) -> bool:
        return (kind is None or kind in self.kinds) and (level is None or level in self.levels)

    def summary(self) -> str:
        kinds = ", ".join(KIND_LABELS.get(k, k) for k in self.kinds)
        from app.catalog import LEVEL_LABELS

        levels = ", ".join(LEVEL_LABELS.get(v, v) for v in self.levels)
        where = "có sẵn (chỉ đọc)" if self.builtin else "thư mục mẫu"
        return (f"{self.name} — phiên bản {self.version} ({where})\n{self.description}\n"
                f"Kỳ báo cáo: {kinds}\nCấp đơn vị: {levels}")


def _str_list(value, allowed: list[str], what: str, problems: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"“{what}” phải là danh sách chữ, ví dụ {what} = [\"{allowed[0]}\"].")
        return list(allowed)
    bad = [v for v in value if v not in allowed]
    if bad:
        problems.append(f"“{what}” có giá trị không biết: {', '.join(bad)} "
                        f"(dùng được: {', '.join(allowed)}).")
    return [v for v in value if v in allowed] or list(allowed)


def read_manifest(folder: str | os.PathLike[str], builtin: bool = False) -> TemplateInfo:
    """Read <folder>/manifest.toml; problems in it are collected, not raised, so a broken
    manifest still lists the template (with the problem shown)."""
    folder = Path(folder)
    info = TemplateInfo(folder=folder, name=folder.name, builtin=builtin)
    path = folder / MANIFEST
    if not path.is_file():
        return info
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        info.problems.append(f"{path.name}: tệp không lưu dạng UTF-8.")
        return info
    except tomllib.TOMLDecodeError as exc:
        info.problems.append(f"{path.name}: viết sai cú pháp ({exc}).")
        return info
    texts = {"ten": "name", "mo_ta": "description", "phien_ban": "version",
             "tep_word": "docx_name", "bo_cuc_phu_luc": "annex_layout"}
    for key, attr in texts.items():
        if key in data:
            v = data[key]
            if isinstance(v, int | float) and key == "phien_ban":
                v = str(v)
            if not isinstance(v, str):
                info.problems.append(f"“{key}” phải là chữ đặt trong dấu nháy kép.")
                continue
            setattr(info, attr, v.strip())
    if "ky_bao_cao" in data:
        info.kinds = _str_list(data["ky_bao_cao"], ALL_KINDS, "ky_bao_cao", info.problems)
    if "cap_don_vi" in data:
        info.levels = _str_list(data["cap_don_vi"], ALL_LEVELS, "cap_don_vi", info.problems)
    unknown = sorted(set(data) - set(texts) - {"ky_bao_cao", "cap_don_vi"})
    if unknown:
        info.problems.append(f"{path.name}: khóa không biết: {', '.join(unknown)}.")
    if not info.docx.is_file():
        info.problems.append(f"Không thấy tệp Word “{info.docx_name}” trong thư mục mẫu.")
    layout = info.annex_layout_path()
    if layout is not None and not layout.is_file():
        info.problems.append(f"Không thấy tệp bố cục phụ lục “{info.annex_layout}”.")
    _check_clauses(info)
    return info


def _check_clauses(info: TemplateInfo) -> None:
    """The package's clause wording (cau_van.toml), when it has one: each problem names the
    file, the paragraph, the sentence and the clause."""
    from app.export.clauses import CLAUSE_FILE, clause_file_problems

    path = info.folder / CLAUSE_FILE
    if path.is_file():
        info.clause_problems = clause_file_problems(path)
        info.problems += info.clause_problems


def user_template_folder() -> Path | None:
    """The administrators' template folder from the settings, if one is set."""
    try:
        from app.settings import load_settings  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        folder = getattr(load_settings(), "template_folder", "") or ""
    except Exception:  # a broken settings file must not hide the built-in templates
        return None
    return Path(folder) if folder else None


def _is_template_folder(p: Path) -> bool:
    return p.is_dir() and ((p / MANIFEST).is_file() or (p / DEFAULT_DOCX).is_file())


def list_templates(user_folder: str | os.PathLike[str] | None = None,
                   include_user: bool = True) -> list[TemplateInfo]:
    """Built-in templates first, then those of the user folder (argument, else settings)."""
    out = [read_manifest(p, builtin=True)
           for p in sorted(builtin_templates_dir().iterdir()) if _is_template_folder(p)]
    if not include_user:
        return out
    folder = Path(user_folder) if user_folder else user_template_folder()
    if folder and folder.is_dir():
        for p in sorted(folder.iterdir()):
            if _is_template_folder(p):
                out.append(read_manifest(p))
    return out


def choosable_templates(user_folder: str | os.PathLike[str] | None, kind: str | None = None,
                        level: str | None = None) -> list[tuple[TemplateInfo, bool]]:
    """What an export can use: the shipped templates, the template folders and the loose .docx
    files of the user folder (no settings read when it is None), each with whether it was made
    for this period kind and unit level; those that suit come first."""
    folder = Path(user_folder) if user_folder else None
    infos = list_templates(folder, include_user=folder is not None)
    if folder is not None and folder.is_dir():
        infos += [info_for_docx(f) for f in sorted(folder.glob("*.docx"))
                  if not f.name.startswith("~$")]
    usable = [(info, info.suits(kind, level)) for info in infos if info.docx.is_file()]
    return sorted(usable, key=lambda pair: not pair[1])  # stable: the library's order within


def find_template(key_or_path: str | os.PathLike[str],
                  user_folder: str | os.PathLike[str] | None = None) -> TemplateInfo | None:
    p = Path(key_or_path)
    if p.is_dir():
        return read_manifest(p, builtin=_within(p, builtin_templates_dir()))
    if p.suffix.lower() == ".docx" and p.is_file():
        return info_for_docx(p)
    for info in list_templates(user_folder):
        if info.key == str(key_or_path) or info.name == str(key_or_path):
            return info
    return None


def _within(p: Path, root: Path) -> bool:
    try:
        p.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def info_for_docx(docx: str | os.PathLike[str]) -> TemplateInfo:
    """The manifest of the folder a .docx sits in, when the folder is a template folder."""
    docx = Path(docx)
    folder = docx.parent
    if (folder / MANIFEST).is_file():
        info = read_manifest(folder, builtin=_within(folder, builtin_templates_dir()))
        if info.docx_name == docx.name:
            return info
    return TemplateInfo(folder=folder, name=docx.stem, docx_name=docx.name,
                        builtin=_within(folder, builtin_templates_dir()))


def slug(text: str) -> str:
    """"Mẫu Sở Nội vụ" → "mau-so-noi-vu": a folder name that works on every computer."""
    from app.formatting import fold

    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s or "mau"


def duplicate_template(source: TemplateInfo, dest_folder: str | os.PathLike[str],
                       new_name: str | None = None) -> TemplateInfo:
    """Copy a template folder into the user folder for editing, with a fresh manifest whose
    name says it is a copy; the paired annex layout is copied beside it so it can be edited
    too. Never overwrites: a free folder name is chosen."""
    dest_root = Path(dest_folder)
    try:
        dest_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TemplateLibraryError(f"{dest_root}: không tạo được thư mục mẫu ({exc.strerror}).") from None
    name = new_name or f"{source.name} (bản sửa)"
    base = slug(name)
    target = dest_root / base
    n = 2
    while target.exists():
        target = dest_root / f"{base}-{n}"
        n += 1
    if not source.docx.is_file():
        raise TemplateLibraryError(f"{source.docx}: không tìm thấy tệp Word của mẫu.")
    try:
        target.mkdir(parents=True)
        shutil.copy2(source.docx, target / DEFAULT_DOCX)
        from app.export.clauses import CLAUSE_FILE, clause_file_for

        # the clause wording goes with the copy, so that the administrator can reword it
        shutil.copy2(clause_file_for(source.docx), target / CLAUSE_FILE)
        annex = ""
        layout = source.annex_layout_path()
        if layout is not None and layout.is_file():
            shutil.copy2(layout, target / layout.name)
            annex = layout.name
        (target / MANIFEST).write_text(manifest_text(
            name=name, description=source.description, version=_bump(source.version),
            kinds=source.kinds, levels=source.levels, annex_layout=annex), encoding="utf-8")
    except OSError as exc:
        raise TemplateLibraryError(f"{target}: không sao chép được mẫu ({exc.strerror}).") from None
    return read_manifest(target)


def _bump(version: str) -> str:
    m = re.fullmatch(r"(\d+)\.(\d+)", version.strip())
    return f"{m.group(1)}.{int(m.group(2)) + 1}" if m else f"{version}-1"


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest_text(*, name: str, description: str, version: str, kinds: list[str],
                  levels: list[str], annex_layout: str, docx_name: str = DEFAULT_DOCX) -> str:
    """A manifest.toml an administrator can read and edit in Notepad."""
    lst = lambda xs: "[" + ", ".join(_q(x) for x in xs) + "]"  # noqa: E731
    return (
        "# Thông tin về mẫu báo cáo (hiện trong \"Thư viện mẫu\"). Sửa bằng Notepad, lưu UTF-8.\n\n"
        f"# Tên mẫu.\nten = {_q(name)}\n\n"
        f"# Mô tả ngắn: mẫu dùng cho trường hợp nào.\nmo_ta = {_q(description)}\n\n"
        "# Phiên bản: tăng số này mỗi lần sửa mẫu.\n"
        f"phien_ban = {_q(version)}\n\n"
        f"# Tệp Word của mẫu, cùng thư mục với tệp này.\ntep_word = {_q(docx_name)}\n\n"
        "# Kỳ báo cáo dùng được: quy_1, sau_thang, quy_3, chin_thang, nam, giai_doan.\n"
        f"ky_bao_cao = {lst(kinds)}\n\n"
        "# Cấp đơn vị dùng được: tinh, so_nganh, huyen, xa.\n"
        f"cap_don_vi = {lst(levels)}\n\n"
        "# Tệp bố cục phụ lục Excel đi kèm (để trống \"\" thì dùng bố cục mặc định).\n"
        f"bo_cuc_phu_luc = {_q(annex_layout)}\n"
    )


def annex_layout_for(template: str | os.PathLike[str] | None) -> Path | None:
    """The annex layout a template (a folder, or the .docx in one) pairs with; None → the
    program's default layout. For the export to pass to write_annex(layout=…)."""
    if template is None:
        return None
    p = Path(template)
    info = read_manifest(p) if p.is_dir() else info_for_docx(p)
    layout = info.annex_layout_path()
    return layout if layout is not None and layout.is_file() else None
