"""Tasks in joblib's workers compute with the caller's thread count."""

import joblib
import torch
from conftest import workers_with_two_threads
from threadpoolctl import threadpool_limits

from sklearn_tabbias._parallel import delayed


def _threads():
    return torch.get_num_threads()


def test_tasks_run_with_the_callers_threads_not_the_workers():
    with threadpool_limits(limits=1), workers_with_two_threads():
        plain = joblib.Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab")
        ours = joblib.Parallel(n_jobs=2)(delayed(_threads)() for _ in "ab")
    assert plain == [2, 2]  # joblib's default: the caller's setting is lost
    assert ours == [1, 1]


def test_tasks_never_take_more_threads_than_the_worker_has():
    with threadpool_limits(limits=4):
        with joblib.parallel_config(backend="loky", inner_max_num_threads=1):
            assert joblib.Parallel(n_jobs=2)(delayed(_threads)() for _ in "ab") == [
                1,
                1,
            ]


def test_keyword_arguments_pass_through():
    assert joblib.Parallel(n_jobs=1)([delayed(int)("11", base=2)]) == [3]
