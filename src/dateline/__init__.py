"""dateline: who did what to whom, when and where, from dated news articles."""

from __future__ import annotations

__version__ = "0.3.0"
DEFAULT_URL = "sqlite:///dateline.db"  # the event store when none is named (command line, web, open())

__all__ = ["DEFAULT_URL", "__version__", "open"]


def open(url: str = DEFAULT_URL):  # noqa: A001 - public API name
    """Open an event store; ``dateline.open(url).events(...)`` returns a pandas DataFrame."""
    from dateline.store import Store

    return Store(url)
