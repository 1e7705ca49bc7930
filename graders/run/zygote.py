"""``python -I -m graders.run.zygote FD``: the process that forks every sandboxed child (see ``pool``)."""

import sys

# A notebook's cells run in IPython (graders.run.child): imported once here, not in every child.
# IPython loads these on first use; without them each notebook's child spent ~20 ms more.
import IPython.core.application  # noqa: F401
import IPython.core.completer  # noqa: F401
import IPython.core.completerlib  # noqa: F401
import IPython.core.interactiveshell  # noqa: F401
import IPython.core.magics.execution  # noqa: F401  (%time, %timeit)
import IPython.core.magics.osm  # noqa: F401  (%%writefile, %cd)
import IPython.core.oinspect  # noqa: F401

from graders.run.pool import zygote_main

if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))
