"""``python -m mot_cua``: the same as the ``mot-cua`` command."""

import sys

from mot_cua.cli import main

if __name__ == "__main__":
    sys.exit(main())
