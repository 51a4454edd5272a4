import sys

if len(sys.argv) > 1 and sys.argv[1] == "--cchc-template-child":  # runner.CHILD_FLAG
    # a template child process (app.templates.runner): no command line, no Qt
    from app.templates.runner import child_main

    child_main()

from app.cli import main

sys.exit(main())
