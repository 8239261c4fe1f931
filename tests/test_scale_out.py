"""Scale-out through joblib backends: the same results as a serial run."""

import numpy as np
import pytest
from conftest import TINY
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV

from sklearn_tabbias import BiasedVAESynthesizer


def _search(n_jobs=None):
    return GridSearchCV(
        BiasedVAESynthesizer(random_state=0, **TINY),
        {"bias": ["none", "avg", "drs"]},
        cv=2,
        n_jobs=n_jobs,
    )


def test_grid_search_on_a_dask_local_cluster(adult300):
    distributed = pytest.importorskip("distributed")
    serial = _search().fit(adult300)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster),
        parallel_backend("dask"),
    ):
        on_dask = _search(n_jobs=-1).fit(adult300)
    assert on_dask.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        on_dask.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
