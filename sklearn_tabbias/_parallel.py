"""``joblib.delayed`` whose tasks run with no more threads than their caller.

joblib's process workers get ``cpu_count() // n_jobs`` BLAS/OpenMP threads unless
told otherwise, and torch in a worker takes that count from ``MKL_NUM_THREADS``
even when the caller set ``OMP_NUM_THREADS=1``. A float reduction split over a
different number of threads adds in a different order, so a fit or a score run
with ``n_jobs=2`` on a 16-core machine would differ (in the 4th to 5th digit) from
the same call with ``n_jobs=1``. Tasks built with :func:`delayed` run under the
caller's thread count (or the worker's, where that is lower, so joblib's guard
against oversubscription stays): with one thread per process, as we recommend,
``n_jobs`` never changes a result.
"""

import functools

import joblib
import torch
from threadpoolctl import threadpool_limits


def delayed(function):
    """Like :func:`joblib.delayed`; the task runs with at most the caller's threads.

    The caller's torch thread count is read when the task is built, in the calling
    process, and applied to every OpenMP and BLAS pool (torch's included) while
    the task runs, then restored.

    Parameters
    ----------
    function : callable
        The function to run in a joblib worker.

    Returns
    -------
    delayed_function : callable
        Called with ``function``'s arguments, returns the ``(function, args,
        kwargs)`` triple that :class:`joblib.Parallel` takes.

    Examples
    --------
    >>> from joblib import Parallel
    >>> from sklearn_tabbias._parallel import delayed
    >>> Parallel(n_jobs=2)(delayed(pow)(i, 2) for i in range(3))
    [0, 1, 4]
    """

    @functools.wraps(function)
    def build(*args, **kwargs):
        return joblib.delayed(_run)(torch.get_num_threads(), function, args, kwargs)

    return build


def _run(caller_threads, function, args, kwargs):
    with threadpool_limits(limits=min(caller_threads, torch.get_num_threads())):
        return function(*args, **kwargs)
