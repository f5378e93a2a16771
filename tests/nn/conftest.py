"""Keep BLAS to one thread in the nn tests: on a loaded 2-core machine OpenBLAS's
threads fight each other and a 64×128 matrix product becomes 20× slower."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="package")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="session")
def shakespeare_split():
    """About 200k words of Shakespeare (every play cut to the same fraction),
    split by play into train / validation / test with seed 0."""
    from ravine.data import load_shakespeare

    return load_shakespeare(word_limit=200_000).split(seed=0)
