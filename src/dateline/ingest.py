"""Batch ingest: read → annotate → store, one committed transaction per batch, on one process, N processes or Dask.

Documents already stored are skipped before they are parsed, so a rerun after a crash only does the missing work; a
document stored under the same id with another text or date is a new version and replaces the stored one.
Engines: ``local`` (this process), a spawn pool of ``workers`` processes, or ``dask``: with no scheduler address a
``LocalCluster`` of ``workers`` processes starts and stops with the run; with ``--scheduler tcp://host:8786`` the
batches go to an existing cluster (see docs/scaling.md). Every engine yields annotated batches in input order.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from dateline.model import Annotation, Document
from dateline.pipeline import annotate_batch, pipeline_options, worker_pipeline

WORKER_BATCHES = 200  # batches a pool worker annotates before it is replaced (one model load per 12,800 documents)
IN_FLIGHT_PER_WORKER = 2  # batches submitted ahead of the store, so memory stays bounded


def batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Consecutive lists of ``size`` documents (the last may be shorter)."""
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


def _new_only(store, batch: list[Document], seen: set[str]) -> list[Document]:
    """The documents of ``batch`` not stored yet, or stored with another text or date (a new version)."""
    known = store.known_documents([d.id for d in batch])
    known -= store.changed_documents([d for d in batch if d.id in known]) if known else set()
    fresh = []
    for d in batch:
        if d.id not in known and d.id not in seen:
            seen.add(d.id)
            fresh.append(d)
    return fresh


def _fresh_batches(docs: Iterable[Document], store, size: int, on_skip: Callable[[int], None]) -> Iterator[list[Document]]:
    seen: set[str] = set()
    for batch in batches(docs, size):
        fresh = _new_only(store, batch, seen)
        if len(fresh) < len(batch):
            on_skip(len(batch) - len(fresh))
        if fresh:
            yield fresh


def _pool_annotate(fresh: Iterator[list[Document]], options: dict[str, Any], workers: int
                   ) -> Iterator[list[Annotation]]:
    ctx = mp.get_context("spawn")
    # a worker is replaced after WORKER_BATCHES batches: bounds memory growth at the cost of one model load
    with ctx.Pool(workers, initializer=worker_pipeline, initargs=(options,), maxtasksperchild=WORKER_BATCHES) as pool:
        # Pool.imap would read the whole input ahead; keep at most IN_FLIGHT_PER_WORKER batches per worker in flight
        pending: deque = deque()
        for batch in fresh:
            pending.append(pool.apply_async(annotate_batch, (batch,)))
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def dask_annotate(fresh: Iterator[list[Document]], options: dict[str, Any], scheduler: str | None = None,
                  workers: int = 1) -> Iterator[list[Annotation]]:
    """Annotated batches, in input order, computed on a Dask cluster (each worker builds its pipeline once)."""
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
        for batch in fresh:
            pending.append(client.submit(annotate_batch, batch, options, pure=False))
            if len(pending) >= limit:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _annotated(fresh: Iterator[list[Document]], options: dict[str, Any], workers: int, engine: str,
               scheduler: str | None) -> Iterator[list[Annotation]]:
    if engine == "dask":
        yield from dask_annotate(fresh, options, scheduler=scheduler, workers=max(workers, 1))
    elif workers > 1:
        yield from _pool_annotate(fresh, options, workers)
    else:
        for batch in fresh:
            yield annotate_batch(batch, options)


def run_ingest(docs: Iterable[Document], store, *, profile: str = "accurate", actors_files: Sequence[str] = (),
               agents_files: Sequence[str] = (), trigger_files: Sequence[str] = (), workers: int = 1,
               engine: str = "local", scheduler: str | None = None, batch_size: int = 64,
               on_batch: Callable[[int], None] = lambda n: None, min_confidence: float | None = None,
               verb_files: Sequence[str] = (), discard_files: Sequence[str] = (),
               issue_files: Sequence[str] = ()) -> tuple[int, int]:
    """Ingest documents into ``store``; returns (documents added, events added)."""
    options = pipeline_options(profile, actors_files, agents_files, trigger_files, min_confidence, verb_files,
                               discard_files, issue_files)
    fresh = _fresh_batches(docs, store, batch_size, on_batch)
    added_docs = added_events = 0
    for anns in _annotated(fresh, options, workers, engine, scheduler):
        d, e = store.add(anns)
        added_docs += d
        added_events += e
        on_batch(len(anns))
    return added_docs, added_events
