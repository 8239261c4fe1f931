"""``joblib.Parallel`` whose process workers compute with the caller's threads.

joblib starts its process workers with ``cpu_count() // n_jobs`` threads in every
BLAS/OpenMP variable it has not been told otherwise about, ``MKL_NUM_THREADS``
included, and torch's built-in MKL follows that even where the caller set
``OMP_NUM_THREADS=1``. Floats summed over another number of threads add in another
order, so on a 16-core machine a fit or a score run with ``n_jobs=2`` differed
(from the 4th digit) from the same call with ``n_jobs=1``. :class:`Parallel`
starts the workers of joblib's default backend with the caller's torch thread
count instead (never more than ``cpu_count() // n_jobs``, joblib's guard against
oversubscription): with one thread per process, as we recommend, ``n_jobs`` never
changes a result. A backend or worker thread count the user chose is kept.
"""

import joblib
import torch
from joblib.parallel import get_active_backend

try:  # joblib's default backend
    from joblib._parallel_backends import LokyBackend
except ImportError:  # pragma: no cover - a joblib that moved it: nothing to adjust
    LokyBackend = ()


class Parallel(joblib.Parallel):
    """:class:`joblib.Parallel` whose loky workers keep the caller's thread count.

    Takes the same parameters as :class:`joblib.Parallel`.

    Examples
    --------
    >>> from joblib import delayed
    >>> from sklearn_tabbias._parallel import Parallel
    >>> Parallel(n_jobs=2)(delayed(pow)(i, 2) for i in range(3))
    [0, 1, 4]
    """

    def __init__(self, n_jobs=None, **kwargs):
        backend, _ = get_active_backend()
        n_workers = joblib.effective_n_jobs(n_jobs)
        if (
            kwargs.get("backend") is not None
            or not isinstance(backend, LokyBackend)
            or backend.inner_max_num_threads is not None
            or n_workers == 1
        ):
            super().__init__(n_jobs=n_jobs, **kwargs)
            return
        n_threads = min(
            torch.get_num_threads(), max(joblib.cpu_count() // n_workers, 1)
        )
        with joblib.parallel_config(backend="loky", inner_max_num_threads=n_threads):
            super().__init__(n_jobs=n_jobs, **kwargs)
