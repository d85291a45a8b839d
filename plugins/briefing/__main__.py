"""`python -m briefing ...` is the `briefing` command."""

import sys

from .tools.cli import main

sys.exit(main())
