"""Wine 8.0 stand-in for the Windows smoke (tools/windows_smoke.sh), not a change to the program.

numpy's core extension calls C99 complex accessors (crealf, cimagf, …) of the Universal CRT while
it is imported; wine 8.0's ucrtbase has them only as stubs, the call aborts the process and wine's
debugger then waits forever (PyInstaller's analysis of matplotlib hung there). Windows' own
ucrtbase has them. This builds a small DLL with those accessors that forwards every other
function of api-ms-win-crt-math-l1-1-0 to ucrtbase, and points the one extension module at it
(the import's DLL name is rewritten in place, same length padded with NULs).

    python3 tools/wine/patch_numpy_crt_math.py SITE_PACKAGES

Idempotent; exits 0 when numpy is not there.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
API = b"api-ms-win-crt-math-l1-1-0.dll"
SHIM = b"wineshim-crt-math-l1-1-0.dll"
IMPLEMENTED = ("crealf", "cimagf", "creal", "cimag", "creall", "cimagl")


def imported_names(pyd: Path) -> list[str]:
    """The functions the module imports from api-ms-win-crt-math (objdump's import table)."""
    out = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(pyd)], check=True,
                         capture_output=True, text=True).stdout
    names, inside = [], False
    for line in out.splitlines():
        if "DLL Name:" in line:
            inside = line.split("DLL Name:")[1].strip().lower() in (API.decode(), SHIM.decode())
            continue
        m = re.match(r"\s+[0-9a-f]+\s+(?:[0-9a-f]+\s+)?([A-Za-z_]\w*)$", line)
        if inside and m and m.group(1) != "Name":
            names.append(m.group(1))
    return names


def build_shim(names: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        definition = Path(tmp) / "shim.def"
        lines = [f"LIBRARY {SHIM.decode()}", "EXPORTS"]
        for n in names:
            lines.append(f"  {n} = shim_{n}" if n in IMPLEMENTED else f"  {n} = ucrtbase.{n}")
        definition.write_text("\n".join(lines) + "\n")
        subprocess.run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-nostdlib", "-s",
                        "-Wl,--entry,0", "-o", str(out), str(HERE / "crt_math_shim.c"),
                        str(definition)], check=True)


def main(site: Path) -> int:
    pyds = sorted(site.glob("numpy/_core/_multiarray_umath*.pyd"))
    if not pyds:
        return 0
    pyd = pyds[0]
    data = pyd.read_bytes()
    names = imported_names(pyd)
    if data.lower().count(API) == 1:
        i = data.lower().index(API)
        data = data[:i] + SHIM + b"\0" * (len(API) - len(SHIM)) + data[i + len(API):]
        pyd.write_bytes(data)
    elif SHIM not in data:
        print(f"{pyd.name}: no api-ms-win-crt-math import found", file=sys.stderr)
        return 1
    build_shim(names, pyd.parent / SHIM.decode())
    print(f"{pyd.name}: {len(names)} math functions, {sum(n in IMPLEMENTED for n in names)} "
          f"implemented by the stand-in, the rest forwarded to ucrtbase")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
