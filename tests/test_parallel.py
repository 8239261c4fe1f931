"""joblib's process workers compute with the caller's thread count."""

import joblib
import torch
from threadpoolctl import threadpool_limits

from sklearn_tabbias._parallel import Parallel


def _threads():
    return torch.get_num_threads()


def test_workers_keep_the_callers_thread_count(four_cores):
    with threadpool_limits(limits=1):  # the caller computes with one thread
        plain = joblib.Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab")
        ours = Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab")
    assert plain == [2, 2]  # joblib's cpu_count() // n_jobs: the caller's 1 is lost
    assert ours == [1, 1]


def test_workers_never_get_more_than_their_share(four_cores):
    with threadpool_limits(limits=4):
        assert Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab") == [2, 2]


def test_a_thread_count_or_backend_the_user_chose_is_kept(four_cores):
    with threadpool_limits(limits=1):
        with joblib.parallel_config(backend="loky", inner_max_num_threads=2):
            assert Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab") == [
                2,
                2,
            ]
        with joblib.parallel_config(backend="threading"):
            assert Parallel(n_jobs=2)(joblib.delayed(_threads)() for _ in "ab") == [
                1,
                1,
            ]
