"""``python -m graders.report``: the ``graders report`` command on its own."""

import sys

from graders.report.command import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
