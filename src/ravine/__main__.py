"""``python -m ravine`` runs the command line."""

import sys

from ravine.cli import main

if __name__ == "__main__":
    sys.exit(main())
