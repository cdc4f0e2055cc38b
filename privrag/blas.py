"""numpy's BLAS thread count, set for the process when privrag opens.

privrag's own matrix work is small: a tenant's 384x384 vector rotation (one QR when a tenant's
key version is first used), rotating a batch of chunk vectors, a query's cosines. A
multi-threaded BLAS gains little on sizes like these and loses badly beside torch's threads
(embedding) on the same cores: its threads spin waiting for each other while torch holds the
CPUs. Measured on the 2-core dev machine with a training run on both cores: the rotation's QR
took 294-1,123 ms with OpenBLAS' default 2 threads vs 32 ms with one, rotating 64 chunk vectors
9.4-12.3 vs 1.6 ms. ``PRIVRAG_BLAS_THREADS`` (default 1) sets it; 0 leaves the process's
setting alone (for an application that tunes its own BLAS). torch's threads are not touched.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits


def limit_blas_threads(threads: int) -> None:
    """Limit numpy's BLAS to ``threads`` for the rest of the process; 0 does nothing."""
    if threads > 0:
        threadpool_limits(limits=threads, user_api="blas")
