"""The Dask engine: batches of documents go to Dask workers, each of which builds the pipeline once.

With no scheduler address a ``LocalCluster`` of ``workers`` processes starts and stops with the run; with
``--scheduler tcp://host:8786`` the batches go to an existing cluster (see docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dateline.model import Annotation, Document

IN_FLIGHT_PER_WORKER = 2  # batches submitted ahead of the store, so memory stays bounded


def _annotate_on_worker(batch: list[Document], options: dict[str, Any]) -> list[Annotation]:
    from dateline.ingest import annotate_batch

    return annotate_batch(batch, options)


def dask_annotate(batches: Iterator[list[Document]], options: dict[str, Any], scheduler: str | None = None,
                  workers: int = 1) -> Iterator[list[Annotation]]:
    """Annotated batches, in input order, computed on a Dask cluster."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        limit = IN_FLIGHT_PER_WORKER * max(len(client.scheduler_info().get("workers", {})), 1)
        pending = []
        for batch in batches:
            pending.append(client.submit(_annotate_on_worker, batch, options, pure=False))
            if len(pending) >= limit:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
