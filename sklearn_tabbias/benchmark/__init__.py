"""The paper's benchmark: ``python -m sklearn_tabbias benchmark``.

Runs the cells (cached, resumable, ``--n-jobs`` in parallel) and prints a
summary; ``--report docs/benchmarks.md`` writes the tables and a plot into the
documentation. One job per module:

* :mod:`~sklearn_tabbias.benchmark.settings`: scenarios, models, routes, sizes;
* :mod:`~sklearn_tabbias.benchmark.tables`: the rows of each (table, route);
* :mod:`~sklearn_tabbias.benchmark.models` and
  :mod:`~sklearn_tabbias.benchmark.peers`: the estimator of each model name;
* :mod:`~sklearn_tabbias.benchmark.scoring`: what a cell measures;
* :mod:`~sklearn_tabbias.benchmark.cache`: running, caching and verifying cells;
* :mod:`~sklearn_tabbias.benchmark.report` and
  :mod:`~sklearn_tabbias.benchmark.paper`: the Markdown tables, the paper's numbers;
* :mod:`~sklearn_tabbias.benchmark.command`: the command line.

The studies built on it (speed, model selection, ...) are scripts in the
repository's ``benchmarks/`` folder, beside their results.
"""

from sklearn_tabbias.benchmark.command import add_arguments, run_from_args

__all__ = ["add_arguments", "run_from_args"]
