"""numpy's BLAS thread count, set for the process when privrag opens.

privrag's own matrix work is small: a tenant's 384x384 vector rotation (one QR when a tenant's
key version is first used), rotating a batch of chunk vectors, a query's cosines. A
multi-threaded BLAS gains little on sizes like these and loses badly beside torch's threads
(embedding) in the same process or on the same cores: its threads spin waiting for work while
torch needs the CPUs. Measured on the 2-core dev machine: quiet, one thread costs the QR 8.8 vs
8.1 ms, while ``bench.tenants`` (6,400 tenants, queries on PyTorch) answered hot tenants in
24-25 vs 43-49 ms p50 and random ones in 51-53 vs 73-80 ms with the limit; with a training run
on both cores the QR took 294-1,123 ms with OpenBLAS' default 2 threads vs 32 ms with one.
``PRIVRAG_BLAS_THREADS`` (default 1) sets it; 0 leaves the process's setting alone (for an
application that tunes its own BLAS). torch's threads are not touched.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits


def limit_blas_threads(threads: int) -> None:
    """Limit numpy's BLAS to ``threads`` for the rest of the process; 0 does nothing."""
    if threads > 0:
        threadpool_limits(limits=threads, user_api="blas")
