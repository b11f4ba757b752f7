"""dateline: who did what to whom, when and where, from dated news articles."""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__", "open"]


def open(url: str = "sqlite:///dateline.db"):  # noqa: A001 - public API name
    """Open an event store; ``dateline.open(url).events(...)`` returns a pandas DataFrame."""
    from dateline.store import Store

    return Store(url)
