"""The paper's experiments (Tables 1, 2, A.3, B.4) with one command.

Same as ``python -m sklearn_tabbias benchmark``; see ``--help`` and
``docs/benchmarks.md``. The full protocol:
``OMP_NUM_THREADS=1 python benchmarks/paper.py --n-jobs 2 --report docs/benchmarks.md``;
a smoke test: ``python benchmarks/paper.py --quick``.
"""

import sys

from sklearn_tabbias.benchmark import main

if __name__ == "__main__":
    sys.exit(main())
