"""Accuracy measurement per stage (``dateline eval KIND GOLD…``).

Each module ``dateline.evaluation.<kind>`` provides ``evaluate(paths: list[str], **options) -> dict``
and ``report(result: dict) -> str``.
"""

KINDS = ("actors", "time", "places", "events")
