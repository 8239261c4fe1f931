"""``python -m sklearn_tabbias``: the command line."""

import sys

from sklearn_tabbias.cli import main

sys.exit(main())
