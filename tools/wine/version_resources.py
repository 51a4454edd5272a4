"""Print and check the version resource of each Windows executable given (run by the Windows
Python under wine: pefile comes with PyInstaller). Each .exe must name itself and carry VERSION.

    python.exe version_resources.py VERSION BaoCaoCCHC.exe cchc.exe
"""

import ntpath
import sys

import pefile


def strings_of(path: str) -> dict[str, str]:
    pe = pefile.PE(path)
    return {k.decode(): v.decode() for info in pe.FileInfo[0] if hasattr(info, "StringTable")
            for table in info.StringTable for k, v in table.entries.items()}


def main(version: str, *paths: str) -> int:
    bad = 0
    for path in paths:
        s = strings_of(path)
        name = ntpath.basename(path)
        print(f"  {name}: {s.get('OriginalFilename')} | {s.get('FileDescription')} | {s.get('FileVersion')}")
        bad += s.get("OriginalFilename") != name or s.get("FileVersion") != version
    descriptions = {strings_of(p).get("FileDescription") for p in paths}
    return 1 if bad or len(descriptions) != len(paths) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
