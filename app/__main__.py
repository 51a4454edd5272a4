"""`python -m app`: commands go to the command line (app.cli). No command, or a report file,
opens the editor, which the core does not import: the `ui` package registers it as the
`cchc-editor` entry point (pyproject.toml), and it is found by that name. The frozen program
starts from launch.py, which names both sides itself."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--cchc-template-child":  # runner.CHILD_FLAG
    # a template child process (app.templates.runner): no command line, no Qt, exits itself
    from app.templates.runner import child_main

    child_main()

from app.cli import main, wants_editor


def _editor():
    """The editor's entry point as the installed project registers it (`cchc-editor` in its
    entry_points.txt), or None. Read directly: importlib.metadata costs more than the cold
    start's budget allows."""
    import os

    for folder in sys.path:
        try:
            # an installed wheel's dist-info, or the egg-info an editable install of the
            # source folder leaves there (both formats importlib.metadata reads)
            names = [e.name for e in os.scandir(folder or ".")
                     if e.name.startswith("cchc_report") and e.name.endswith((".dist-info",
                                                                               ".egg-info"))]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(folder or ".", name, "entry_points.txt"),
                          encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except OSError:
                continue
            section = ""
            for line in lines:
                line = line.strip()
                if line.startswith("["):
                    section = line.strip("[]")
                elif section == "gui_scripts" and line.split("=")[0].strip() == "cchc-editor":
                    module, _, function = line.split("=", 1)[1].strip().partition(":")
                    import importlib

                    return getattr(importlib.import_module(module), function)
    return None


if wants_editor(sys.argv[1:]):
    point = _editor()
    if point is None:
        print("Lỗi: chưa cài giao diện soạn báo cáo; chạy `python3 -m pip install -e .` "
              "trong thư mục chương trình.", file=sys.stderr)
        sys.exit(2)
    sys.exit(point(sys.argv[1:]))
sys.exit(main())
