"""Keep BLAS to one thread in the nn tests: on a loaded 2-core machine OpenBLAS's
threads fight each other and a 64×128 matrix product becomes 20× slower."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="package")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
