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
    """The editor's entry point as the installed project registers it, or None."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        points = distribution("cchc-report").entry_points
    except PackageNotFoundError:
        return None
    return next((p for p in points if p.group == "gui_scripts" and p.name == "cchc-editor"), None)


if wants_editor(sys.argv[1:]):
    point = _editor()
    if point is None:
        print("Lỗi: chưa cài giao diện soạn báo cáo; chạy `python3 -m pip install -e .` "
              "trong thư mục chương trình.", file=sys.stderr)
        sys.exit(2)
    sys.exit(point.load()(sys.argv[1:]))
sys.exit(main())
