"""``python -m graders``: the same as the ``graders`` command."""

import sys

from graders.cli import main

sys.exit(main())
