"""dateline: who did what to whom, when and where, from dated news articles."""

from __future__ import annotations

__version__ = "0.3.0"
DEFAULT_URL = "sqlite:///dateline.db"  # the event store when none is named (command line, web, open())

__all__ = ["DEFAULT_URL", "__version__", "open"]


def open(url: str = DEFAULT_URL, create: bool = False):  # noqa: A001 - public API name
    """Open an existing event store (``create=True``: make it if missing); ``dateline.open(url).events(...)``
    returns a pandas DataFrame. A missing database or one that is not a dateline store raises StoreError."""
    from dateline.store import Store

    return Store(url, create=create)
