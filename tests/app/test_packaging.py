"""Packaging: the spec, the version resource, the icon, the installer script, the portable zip and
the Windows workflow, checked quickly and without building anything.

The real build is tools/frozen_check.sh (Linux here, Windows in CI)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "installer"))

import version_info  # noqa: E402


def test_the_version_comes_from_app_init_through_pyproject():
    meta = version_info.read_metadata(ROOT)
    assert meta.version == app.__version__
    assert meta.dist_name == "cchc-report"
    assert meta.app_name == app.APP_NAME


def test_changing_app_init_changes_the_version_everywhere(tmp_path):
    (tmp_path / "app").mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "app" / "__init__.py").write_text('__version__ = "2.13.4rc1"\nAPP_NAME = "X"\n')
    meta = version_info.read_metadata(tmp_path)
    assert meta.version == "2.13.4rc1"
    assert meta.version_tuple == (2, 13, 4, 0)
    text = version_info.version_file_text(meta)
    assert "filevers=(2, 13, 4, 0)" in text and "StringStruct('ProductVersion', '2.13.4rc1')" in text


class _Recorder:
    """Stands in for PyInstaller's build classes: records what the spec asks it to build."""

    def __init__(self, calls: list, kind: str):
        self.calls, self.kind = calls, kind

    def __call__(self, *args, **kwargs):
        obj = type(self.kind, (), {})()
        obj.args, obj.kwargs = args, kwargs
        if self.kind == "Analysis":
            obj.datas, obj.binaries, obj.pure, obj.scripts = [], [], [], ["main"]
        self.calls.append((self.kind, obj))
        return obj


def _evaluate_spec(tmp_path, monkeypatch, platform: str = "win32") -> list:
    """Run pyinstaller.spec as PyInstaller would on `platform`, with recording stand-ins."""
    calls: list = []
    monkeypatch.setattr(sys, "platform", platform)
    build = tmp_path / "project"
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "__pycache__", "docs", "tests", "benchmarks"))
    namespace = {"SPECPATH": str(build), "__file__": str(build / "pyinstaller.spec")}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[kind] = _Recorder(calls, kind)
    code = compile((build / "pyinstaller.spec").read_text("utf-8"), "pyinstaller.spec", "exec")
    exec(code, namespace)  # noqa: S102 - our own build file
    return calls


def test_the_spec_builds_a_windowed_editor_and_a_console_program_in_one_folder(tmp_path, monkeypatch):
    calls = _evaluate_spec(tmp_path, monkeypatch)
    exes = {c.kwargs["name"]: c for kind, c in calls if kind == "EXE"}
    collects = [c for kind, c in calls if kind == "COLLECT"]
    assert set(exes) == {"BaoCaoCCHC", "cchc"} and len(collects) == 1
    assert exes["BaoCaoCCHC"].kwargs["console"] is False and exes["cchc"].kwargs["console"] is True
    assert all(e in collects[0].args for e in exes.values())  # one folder, the libraries once
    # both run Python in UTF-8 mode: a frozen program ignores PYTHONUTF8, and cchc.exe with its
    # output redirected would otherwise encode in cp1258 and crash on Vietnamese letters
    for exe in exes.values():
        assert ("X utf8", None, "OPTION") in [o for a in exe.args if isinstance(a, list) for o in a]


def test_each_executable_gets_the_version_resource_of_the_one_version(tmp_path, monkeypatch):
    meta = version_info.read_metadata(ROOT)
    exes = {c.kwargs["name"]: c for kind, c in _evaluate_spec(tmp_path, monkeypatch) if kind == "EXE"}
    gui = Path(exes["BaoCaoCCHC"].kwargs["version"]).read_text("utf-8")
    cli = Path(exes["cchc"].kwargs["version"]).read_text("utf-8")
    assert "StringStruct('OriginalFilename', 'BaoCaoCCHC.exe')" in gui
    assert "StringStruct('OriginalFilename', 'cchc.exe')" in cli
    assert "dòng lệnh" in cli and "dòng lệnh" not in gui  # the console program says what it is
    for text in (gui, cli):
        assert f"StringStruct('FileVersion', '{meta.version}')" in text
    # Linux builds carry no version resource and no icon
    linux = {c.kwargs["name"]: c for kind, c in _evaluate_spec(tmp_path / "l", monkeypatch, "linux")
             if kind == "EXE"}
    assert linux["cchc"].kwargs["version"] is None


def test_modules_imported_by_name_are_hidden_imports_of_the_spec():
    # importlib-imported modules are invisible to PyInstaller: without them the frozen cchc.exe
    # failed every command and the editor lost two menus (seen under wine)
    import importlib

    from dynamic_imports import dynamic_imports

    from app.cli import SUBCOMMANDS

    names = dynamic_imports(ROOT)
    assert set(SUBCOMMANDS.values()) <= set(names)
    assert {"ui.consolidation", "ui.templates_admin"} <= set(names)
    for name in names:
        assert importlib.util.find_spec(name) is not None, name
    assert "*dynamic_imports(ROOT)," in (ROOT / "pyinstaller.spec").read_text(encoding="utf-8")


def test_every_hidden_import_is_commented():
    spec = (ROOT / "pyinstaller.spec").read_text(encoding="utf-8")
    block = spec.split("hiddenimports=[", 1)[1].split("]", 1)[0]
    for line in block.splitlines():
        code = line.split("#", 1)[0].strip()
        if code:  # an entry: the line above (or its own) must say why
            assert "#" in line or "#" in block.split(line)[0].splitlines()[-1], line


def test_the_version_resource_is_what_pyinstaller_reads(monkeypatch, tmp_path):
    pytest.importorskip("PyInstaller")
    # The module imports Windows-only helpers at the top; they are not needed to parse the text.
    import types

    import PyInstaller.compat

    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file

    meta = version_info.read_metadata(ROOT)
    out = version_info.write_version_file(tmp_path / "v.txt", meta)
    info = load_version_info_from_text_file(str(out))
    major, minor, patch, build = meta.version_tuple
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == (major << 16 | minor, patch << 16 | build)
    assert len(info.toRaw()) > 200


def test_the_icon_has_the_sizes_windows_asks_for():
    data = (ROOT / "resources" / "icon.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    assert (ROOT / "resources" / "icon.png").read_bytes().startswith(b"\x89PNG")


# --- the installer -------------------------------------------------------------------------


# What the installer does (installs per user without administrator rights under
# %LOCALAPPDATA%\\Programs, HKCU only, refuses Windows older than 10 1809 with exit 3, waits for a
# running copy and exits 4 when silent, upgrades, uninstalls keeping the user's data) is tried by
# running it: tools/windows_smoke.sh under wine, in CI. Here: that it compiles, and signs in order.


def _nsi() -> str:
    return (ROOT / "installer" / "cchc.nsi").read_text(encoding="utf-8-sig")


def test_the_installer_texts_are_vietnamese():
    nsi = _nsi()
    assert '!insertmacro MUI_LANGUAGE "Vietnamese"' in nsi
    vi = (ROOT / "installer" / "vi.nsh").read_bytes()
    assert vi.startswith(b"\xef\xbb\xbf")  # makensis reads UTF-8 only with the BOM
    assert "Biểu tượng trên màn hình nền" in vi.decode("utf-8-sig")


def _fake_bundle(root: Path) -> Path:
    bundle = root / "BaoCaoCCHC"
    (bundle / "_internal" / "report_templates").mkdir(parents=True)
    (bundle / "BaoCaoCCHC.exe").write_bytes(b"MZ fake editor")
    (bundle / "cchc.exe").write_bytes(b"MZ fake console")
    (bundle / "_internal" / "report_templates" / "mẫu.docx").write_bytes(b"PK")
    return bundle


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian: nsis) is not installed")
def test_makensis_compiles_the_installer(tmp_path):
    bundle = _fake_bundle(tmp_path)
    out = tmp_path / "BaoCaoCCHC-setup.exe"
    flag = "/" if sys.platform == "win32" else "-"
    run = subprocess.run(
        ["makensis", f"{flag}V2", f"{flag}WX", f"{flag}DBUNDLE_DIR={bundle}",
         f"{flag}DOUT_FILE={out}", str(ROOT / "installer" / "cchc.nsi")],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert out.read_bytes()[:2] == b"MZ"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian: nsis) is not installed")
def test_makensis_signs_the_uninstaller_then_the_installer_when_asked(tmp_path):
    bundle = _fake_bundle(tmp_path)
    out = tmp_path / "BaoCaoCCHC-setup.exe"
    log = tmp_path / "signed.txt"
    signer = tmp_path / "sign.py"  # stands in for tools/sign_windows.sh: records what it signs
    signer.write_text("import sys\n"
                      "data = open(sys.argv[1], 'rb').read(2)\n"
                      f"open({str(log)!r}, 'a').write(sys.argv[1] + ' ' + data.decode() + '\\n')\n")
    flag = "/" if sys.platform == "win32" else "-"
    run = subprocess.run(
        ["makensis", f"{flag}V2", f"{flag}WX", f"{flag}DBUNDLE_DIR={bundle}", f"{flag}DOUT_FILE={out}",
         f"{flag}DSIGN_COMMAND={sys.executable} {signer}", str(ROOT / "installer" / "cchc.nsi")],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    signed = log.read_text().splitlines()
    assert len(signed) == 2 and all(line.endswith(" MZ") for line in signed)
    assert signed[0].split()[0] != str(out)  # the uninstaller first, before it is packed
    assert signed[1].split()[0] == str(out)


def test_the_portable_zip_keeps_settings_next_to_the_executable(tmp_path):
    from make_portable import make_portable

    bundle = _fake_bundle(tmp_path)
    out = make_portable(bundle, tmp_path / "p.zip")
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"BaoCaoCCHC/BaoCaoCCHC.exe", "BaoCaoCCHC/cchc.exe", "BaoCaoCCHC/portable.txt",
                "BaoCaoCCHC/_internal/report_templates/mẫu.docx"} <= names
        assert "di động" in zf.read("BaoCaoCCHC/portable.txt").decode("utf-8")


def test_a_portable_copy_keeps_settings_drafts_history_and_units_beside_the_program(
        tmp_path, monkeypatch):
    # The zip relies on this: portable.txt next to the executable keeps everything in its folder.
    from app import settings, units

    program = tmp_path / "BaoCaoCCHC"
    program.mkdir()
    (program / "portable.txt").write_text("di động", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(program / "BaoCaoCCHC.exe"))
    monkeypatch.delenv("CCHC_CONFIG_DIR", raising=False)
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    assert settings.config_dir() == program / "settings"
    assert settings.recovery_dir() == program / "data" / "recovery"
    assert settings.history_path() == program / "data" / "history.sqlite3"
    assert units.data_dir() == program / "data" and (program / "data").is_dir()


# --- the Windows workflow ------------------------------------------------------------------


def _workflow() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8"))


def _runs(steps: list[dict]) -> str:
    return "\n".join(s.get("run", "") for s in steps)


def test_the_windows_workflow_is_valid_yaml_with_the_expected_steps():
    wf = _workflow()
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers and "pull_request" in triggers
    build, package = wf["jobs"]["build"], wf["jobs"]["package"]
    assert build["runs-on"] == "windows-2022" and package["needs"] == "build"
    steps = build["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    assert 'pip install -c tools/windows-constraints.txt -e ".[dev,build]"' in _runs(steps)
    tests = next(s for s in steps if "pytest" in s.get("run", ""))
    assert tests["env"]["QT_QPA_PLATFORM"] == "offscreen"
    assert "pyinstaller.spec" in _runs(steps) and "frozen_check.sh" in _runs(steps)
    runs = _runs(package["steps"])
    assert "makensis" in runs and "installer/cchc.nsi" in runs and "make_portable.py" in runs
    uploads = [s for s in package["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    paths = [s["with"]["path"] for s in uploads]
    assert any(p.endswith("-setup.exe") for p in paths) and any(p.endswith("-portable.zip") for p in paths)


def test_signing_secrets_are_seen_by_the_signing_set_up_step_only():
    wf = _workflow()
    text = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    steps_with_secrets = [
        (job_name, s["name"]) for job_name, job in wf["jobs"].items() for s in job["steps"]
        if "secrets." in str(s)]
    assert steps_with_secrets == [("package", "Set up signing")]
    assert text.count("secrets.") == 2  # the certificate and its password, nowhere else
    for job in wf["jobs"].values():
        assert "secrets." not in str(job.get("env", {}))
    package = {s["name"]: s for s in wf["jobs"]["package"]["steps"]}
    assert package["Sign the executables"]["if"] == "steps.signing.outputs.enabled == 'true'"
    # the uninstaller is signed inside makensis (SIGN_COMMAND → !uninstfinalize) when enabled
    assert "-DSIGN_COMMAND=bash $PWD/tools/sign_windows.sh" in package["Compile the installer"]["run"]
    assert package["Remove the signing key"]["if"] == "always()"


def test_build_tools_are_pinned():
    import re

    wf = _workflow()
    for job in wf["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:  # an action by its commit, not by a tag someone can move
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    install = _runs(wf["jobs"]["package"]["steps"])
    assert "nsis=3.08-3+deb12u1" in install and "osslsigncode=2.5-4" in install
    pins = [line for line in (ROOT / "tools" / "windows-constraints.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][\w.]*", line) for line in pins), pins
    names = {line.split("==")[0].lower() for line in pins}
    assert {"pyinstaller", "pyinstaller-hooks-contrib", "pyside6-essentials", "pytest"} <= names




def test_every_dependency_is_pinned_for_the_windows_build():
    # the Windows smoke and workflow install with these pins only: a package the project needs
    # and the pins lack is missing from the Windows program (or its test run)
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in ("dev", "build"):
        wanted += project["optional-dependencies"][extra]

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned = {norm(line.split("==")[0]) for line in
              (ROOT / "tools" / "windows-constraints.txt").read_text("utf-8").splitlines()
              if "==" in line and not line.startswith("#")}
    names = {norm(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]) for req in wanted}
    assert sorted(names - pinned - {"ruff"}) == []  # ruff: a linter, not run on Windows
