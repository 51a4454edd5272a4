"""`python -m app`: the composition root. Commands go to the command line (app.cli); no command,
or a report file, opens the editor (ui.launcher). The only place where app/ names ui/."""

import sys

from app.cli import main, wants_editor

if wants_editor(sys.argv[1:]):
    from ui.launcher import main as editor

    sys.exit(editor(sys.argv[1:]))
sys.exit(main())
