"""Batch ingest: read → annotate → store, one committed transaction per batch, on one process, N processes or Dask.

Documents already stored are skipped before they are parsed, so a rerun after a crash only does the missing work.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from dateline.model import Annotation, Document

_WORKER_PIPELINE: Any = None


WORKER_BATCHES = 200  # batches a pool worker annotates before it is replaced (one model load per 12,800 documents)


def batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Consecutive lists of ``size`` documents (the last may be shorter)."""
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


def _pipeline_options(profile: str, actors_files: Sequence[str], agents_files: Sequence[str],
                      trigger_files: Sequence[str]) -> dict[str, Any]:
    return {"profile": profile, "actors_files": tuple(actors_files), "agents_files": tuple(agents_files),
            "trigger_files": tuple(trigger_files)}


def _init_worker(options: dict[str, Any]) -> None:
    global _WORKER_PIPELINE
    from dateline.pipeline import Pipeline

    _WORKER_PIPELINE = Pipeline(**options)


def annotate_batch(batch: list[Document], options: dict[str, Any] | None = None) -> list[Annotation]:
    """Annotate one batch in this process (the pipeline is built once per process)."""
    if _WORKER_PIPELINE is None or (options and _WORKER_PIPELINE.profile != options["profile"]):
        _init_worker(options or {})
    return list(_WORKER_PIPELINE.annotate(batch))


def _new_only(store, batch: list[Document], seen: set[str]) -> list[Document]:
    known = store.known_documents([d.id for d in batch])
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


def _annotated(fresh: Iterator[list[Document]], options: dict[str, Any], workers: int, engine: str,
               scheduler: str | None) -> Iterator[list[Annotation]]:
    if engine == "dask":
        from dateline.distributed import dask_annotate

        yield from dask_annotate(fresh, options, scheduler=scheduler, workers=max(workers, 1))
    elif workers > 1:
        ctx = mp.get_context("spawn")
        # a worker is replaced after WORKER_BATCHES batches: bounds memory growth at the cost of one model load
        with ctx.Pool(workers, initializer=_init_worker, initargs=(options,),
                      maxtasksperchild=WORKER_BATCHES) as pool:
            # Pool.imap would read the whole input ahead; keep at most two batches per worker in flight instead
            pending: deque = deque()
            for batch in fresh:
                pending.append(pool.apply_async(annotate_batch, (batch,)))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    else:
        for batch in fresh:
            yield annotate_batch(batch, options)


def run_ingest(docs: Iterable[Document], store, *, profile: str = "accurate", actors_files: Sequence[str] = (),
               agents_files: Sequence[str] = (), trigger_files: Sequence[str] = (), workers: int = 1,
               engine: str = "local", scheduler: str | None = None, batch_size: int = 64,
               on_batch: Callable[[int], None] = lambda n: None) -> tuple[int, int]:
    """Ingest documents into ``store``; returns (documents added, events added)."""
    options = _pipeline_options(profile, actors_files, agents_files, trigger_files)
    fresh = _fresh_batches(docs, store, batch_size, on_batch)
    added_docs = added_events = 0
    for anns in _annotated(fresh, options, workers, engine, scheduler):
        d, e = store.add(anns)
        added_docs += d
        added_events += e
        on_batch(len(anns))
    return added_docs, added_events
