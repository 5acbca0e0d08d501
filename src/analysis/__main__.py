"""``python -m analysis``: the command line."""

import sys

from analysis.cli import main

if __name__ == "__main__":  # not when a worker process (spawn) imports this module again
    sys.exit(main())
