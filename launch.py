"""The frozen program's entry (pyinstaller.spec): the composition root that picks the command line
(app.cli) or the editor (ui.launcher). It stands outside app/ and ui/ because it names both;
from source, `python -m app` finds the editor through the `cchc-editor` entry point instead."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--cchc-template-child":  # runner.CHILD_FLAG
    # a template child process (app.templates.runner): no command line, no Qt, exits itself
    from app.templates.runner import child_main

    child_main()

from app.cli import main, wants_editor

if wants_editor(sys.argv[1:]):
    from ui.launcher import main as editor

    sys.exit(editor(sys.argv[1:]))
sys.exit(main())
