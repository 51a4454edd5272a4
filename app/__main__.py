"""`python -m app`: the composition root. Commands go to the command line (app.cli); no command,
or a report file, opens the editor (ui.launcher). The only place where app/ names ui/."""

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
