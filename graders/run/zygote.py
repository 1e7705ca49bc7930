"""``python -I -m graders.run.zygote FD``: the process that forks every sandboxed child (see ``pool``)."""

import sys

from graders.run.pool import zygote_main

if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))
