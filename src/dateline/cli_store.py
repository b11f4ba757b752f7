"""Command-line verbs over the store: ``dateline events``, ``dateline export FORMAT`` and ``dateline db upgrade``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from dateline.model import PLOVER_TYPES, STATUSES

DEFAULT_DB = "sqlite:///dateline.db"
EVENT_FORMATS = ("table", "csv", "jsonl", "parquet")


def _checked(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    """Turn a query parser into an argparse type: bad values exit 2 with the option named."""
    def parse(value: str) -> Any:
        from dateline.query import FilterError

        try:
            return fn(value)
        except FilterError as exc:
            raise argparse.ArgumentTypeError(str(exc).split(": ", 1)[-1]) from None
    parse.__name__ = fn.__name__
    return parse


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        up = {c.upper(): c for c in choices}.get(value.strip().upper())
        if up is None:
            raise argparse.ArgumentTypeError(f"expected one of {', '.join(choices)}, got {value!r}")
        return up
    return parse


def _day(value: str) -> str:
    from dateline.query import FilterError, _wrap
    from dateline.store import parse_day

    try:
        _wrap(parse_day, value, "date")
    except FilterError:
        raise argparse.ArgumentTypeError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}") from None
    return value


def _near(value: str) -> tuple[float, float, float]:
    from dateline.query import parse_near

    return parse_near(value)


def _code(option: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        from dateline.query import parse_code

        return parse_code(value, option)
    return parse


def _count(value: str) -> int:
    from dateline.query import parse_int

    return parse_int(value, "number")


def _sort(value: str) -> str:
    from dateline.store import SORT_KEYS

    if value.lstrip("-") not in SORT_KEYS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(SORT_KEYS)} (prefix - for descending)")
    return value


def add_filters(p: argparse.ArgumentParser) -> None:
    """The filter options shared by ``events`` and ``export``."""
    p.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB}; postgresql://… works)")
    p.add_argument("--actor", help="actor id, full name or one word of the name (case-insensitive; * wildcard)")
    p.add_argument("--country", type=_checked(_code("country")), help="ISO3 code of an actor or of the location")
    p.add_argument("--sector", type=_checked(_code("sector")), help="PLOVER sector code of an actor (GOV, MIL, …)")
    p.add_argument("--type", type=_choice(PLOVER_TYPES), help="PLOVER event type")
    p.add_argument("--mode", help="PLOVER mode")
    p.add_argument("--status", type=_choice(STATUSES), help="asserted, negated, future, hypothetical, historical")
    p.add_argument("--since", type=_day, help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", type=_day, help="until this date, inclusive")
    p.add_argument("--near", type=_checked(_near), metavar="LAT,LON,KM", help="location within KM of a point")
    p.add_argument("--text", metavar="WORDS", help="full-text search in sentences (all words)")
    p.add_argument("--mentions", action="store_true", help="every event record instead of one row per happening")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``events``, ``export`` and ``db`` to the ``dateline`` command line."""
    p = subparsers.add_parser("events", help="query stored events (one row per happening; --mentions for all)")
    add_filters(p)
    p.add_argument("--sort", type=_sort, default="date",
                   help="date, published, type, goldstein, confidence, id, reports (--sort=-KEY or --desc to reverse)")
    p.add_argument("--desc", dest="descending", action="store_true", help="sort in descending order")
    p.add_argument("--limit", type=_checked(_count), default=100, help="rows (default 100; 0: all)")
    p.add_argument("--offset", type=_checked(_count), default=0)
    p.add_argument("--format", choices=EVENT_FORMATS, default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_events)

    from dateline.export import FORMATS

    p = subparsers.add_parser("export", help="export events: " + ", ".join(FORMATS))
    p.add_argument("export_format", metavar="FORMAT", choices=FORMATS, help=", ".join(FORMATS))
    add_filters(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("db", help="database maintenance")
    dsub = p.add_subparsers(dest="db_command", required=True)
    u = dsub.add_parser("upgrade", help="migrate an older database schema to this version")
    u.add_argument("--db", default=DEFAULT_DB)
    u.set_defaults(func=cmd_db_upgrade)


def _query(args: argparse.Namespace, *, paged: bool) -> Any:
    from dateline.query import parse_query

    values = {k: getattr(args, k, None) for k in ("actor", "country", "sector", "type", "mode", "status", "since",
                                                  "until", "near", "text", "mentions")}
    if paged:
        values.update(sort=args.sort, descending=args.descending, limit=args.limit or None, offset=args.offset)
    return parse_query(values)


def _fail(command: str, exc: Exception) -> int:
    print(f"dateline {command}: error: {exc}", file=sys.stderr)
    return 2


def _on_store(command: str, args: argparse.Namespace, paged: bool, work: Any) -> tuple[Any, Any]:
    """Parse the filters, open the store, run ``work(store, query)``, close it. Returns (query, result), or
    (None, exit code) after a one-line error naming the command."""
    from dateline.query import FilterError
    from dateline.store import Store, StoreError

    try:
        q = _query(args, paged=paged)
        store = Store(args.db)
    except (FilterError, StoreError) as exc:
        return None, _fail(command, exc)
    try:
        return q, work(store, q)
    except StoreError as exc:
        return None, _fail(command, exc)
    finally:
        store.close()


def cmd_events(args: argparse.Namespace) -> int:
    from dateline import export

    q, frame = _on_store("events", args, True, lambda store, q: store.events(**q.kwargs()))
    if q is None:
        return frame
    recs = list(export.records(frame))
    if args.format == "table":
        _print_table(recs, q.groups, args.output)
        return 0
    fmt = args.format
    binary = fmt == "parquet"
    if args.output:
        with open(args.output, "wb" if binary else "w", encoding=None if binary else "utf-8",
                  newline=None if binary else "") as fh:
            export.write(fmt, recs, fh)
    else:
        out = sys.stdout.buffer if binary else sys.stdout
        export.write(fmt, recs, out)
        out.flush()
    return 0


def _print_table(recs: list[dict[str, Any]], groups: bool, path: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from dateline.export import _names

    table = Table(show_lines=False)
    cols = ["date", "type", "source", "target", "location", "status"] + (["reports"] if groups else []) + ["sentence"]
    for c in cols:
        table.add_column(c, overflow="fold", max_width=60 if c == "sentence" else 28)
    for r in recs:
        loc = r.get("location") or {}
        row = [r.get("date") or "", r.get("type") or "", _names(r.get("source")), _names(r.get("target")),
               loc.get("name") or "", r.get("status") or ""]
        if groups:
            row.append(str(r.get("reports") or 1))
        row.append(r.get("sentence") or "")
        table.add_row(*row)
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            Console(file=fh, width=200).print(table)
    else:
        Console().print(table)
        if not recs:
            print("no events match", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from dateline import export

    q, n = _on_store("export", args, False,
                     lambda store, q: export.export(store, args.export_format, args.output, **q.filters()))
    if q is None:
        return n
    if args.output:
        print(f"wrote {n} {'edges' if args.export_format == 'graphml' else 'records'} to {args.output}",
              file=sys.stderr)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from dateline.store import Store, StoreError

    try:
        store = Store(args.db)
        before = store.version
        after = store.upgrade()
        store.close()
    except StoreError as exc:
        return _fail("db upgrade", exc)
    print(f"{args.db}: schema version {before} -> {after}" if before != after
          else f"{args.db}: schema version {after} is current", file=sys.stderr)
    return 0
