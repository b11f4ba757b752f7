"""The ``dateline`` command line: one verb per job. Only this module (and web/) knows about the terminal."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

from dateline import __version__
from dateline.read import ReadStats, read

DEFAULT_DB = "sqlite:///dateline.db"
# Modules that add their own subcommands through register(subparsers).
PLUGINS = ("dateline.cli_store", "dateline.cli_actors", "dateline.web.cli")
GROUP_COLUMNS = ("group_id", "reports", "mentions", "sources", "first_report", "last_report")


def _date(value: str) -> dt.date:
    from dateline.read import YEARS

    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc
    if not YEARS[0] <= day.year <= YEARS[1]:  # relative dates near year 1 or 9999 overflow the calendar
        raise argparse.ArgumentTypeError(f"year outside {YEARS[0]}-{YEARS[1]}: {value!r}")
    return day


def add_pipeline_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs the pipeline."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, globs, .gz, or - for stdin")
    p.add_argument("--date", type=_date, help="publication date for inputs without one (YYYY-MM-DD)")
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="user actor dictionary (PETRARCH/Phoenix, YAML or CSV); repeatable; wins over shipped ones")
    p.add_argument("--agents", action="append", default=[], metavar="FILE", help="user agents dictionary; repeatable")
    p.add_argument("--triggers", action="append", default=[], metavar="FILE", help="user trigger table (YAML)")
    p.add_argument("--fast", action="store_true", help="no transformer: TF-IDF classifier and rules")
    p.add_argument("--profile", choices=("accurate", "fast", "rules"), help=argparse.SUPPRESS)
    _min_confidence_option(p)


def _confidence(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}")
    return x


def _min_confidence_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-confidence", type=_confidence, metavar="P",
                   help="keep only records whose confidence (the event gate's probability that the record is "
                        "right) reaches P; default: the gate's minimum, curated trigger patterns always kept")


def _profile(args: argparse.Namespace) -> str:
    return args.profile or ("fast" if args.fast else "accurate")


def make_pipeline(args: argparse.Namespace):
    from dateline.pipeline import Pipeline

    return Pipeline(_profile(args), args.actors, args.agents, args.triggers,
                    min_confidence=getattr(args, "min_confidence", None))


@contextmanager
def progress(total: int | None, label: str):
    """A rich progress bar on a terminal; silent when stderr is piped."""
    if not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


def _documents(args: argparse.Namespace, stats: ReadStats) -> Iterator:
    return read(args.paths, default_date=args.date, stats=stats)


def cmd_extract(args: argparse.Namespace) -> int:
    """Events to stdout, no database."""
    from dateline.export import CSV_FIELDS, flat  # the same columns as `dateline export --format csv`
    stats = ReadStats()
    pipe = make_pipeline(args)
    fields = [f for f in CSV_FIELDS if f not in GROUP_COLUMNS]  # records, not groups: no report counts
    writer = csv.DictWriter(sys.stdout, fieldnames=fields) if args.format == "csv" else None
    if writer:
        writer.writeheader()
    for ann in pipe.annotate(_documents(args, stats)):
        for ev in ann.events:
            d = ev.to_dict()
            if writer:
                writer.writerow(flat(d))
            else:
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if stats.documents else 2


def cmd_annotate(args: argparse.Namespace) -> int:
    """One JSON object per document: sentences, mentions, times, places, events."""
    stats = ReadStats()
    pipe = make_pipeline(args)
    for ann in pipe.annotate(_documents(args, stats)):
        sys.stdout.write(json.dumps(ann.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if stats.documents else 2


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(args: argparse.Namespace, paths: Sequence[str] | None = None, quiet: bool = False) -> tuple[int, int, ReadStats]:
    """Read, annotate and store in batches; each batch commits whole. Returns (documents, events, read stats)."""
    from dateline.ingest import run_ingest
    from dateline.store import Store

    stats = ReadStats()
    docs = read(paths or args.paths, default_date=args.date, stats=stats)
    store = Store(args.db)
    try:
        with progress(None, "ingest") as advance:
            added_docs, added_events = run_ingest(
                docs, store, profile=_profile(args), actors_files=args.actors, agents_files=args.agents,
                trigger_files=args.triggers, workers=args.workers, engine=args.engine, scheduler=args.scheduler,
                batch_size=args.batch_size, on_batch=lambda n: advance(n),
                min_confidence=getattr(args, "min_confidence", None),
            )
    finally:
        store.close()
    if not quiet:
        print(f"read {stats.documents} documents ({stats.errors} problems); stored {added_docs} new documents, "
              f"{added_events} events into {args.db}", file=sys.stderr)
    return added_docs, added_events, stats


def cmd_ingest(args: argparse.Namespace) -> int:
    _, _, stats = ingest(args)
    return 0 if stats.documents else 2


def sample_paths() -> list[str]:
    """The bundled sample: public-domain VOA stories and the reference article."""
    base = resources.files("dateline") / "data" / "sample"
    return [str(base / "voa_stories.jsonl"), str(base / "kim-putin-vostochny.txt")]


def cmd_demo(args: argparse.Namespace) -> int:
    """Ingest the bundled sample into ./dateline.db and summarise it."""
    from rich.console import Console
    from rich.table import Table

    from dateline.store import Store

    for name in ("paths", "actors", "agents", "triggers"):
        setattr(args, name, getattr(args, name, None) or [])
    args.date = None
    docs, events, _ = ingest(args, sample_paths())
    store = Store(args.db)
    summary = store.summary()
    store.close()
    console = Console()
    console.print(f"[bold]dateline demo[/bold]: {summary['documents']} documents, {summary['events']} events "
                  f"({summary.get('groups', 0)} distinct happenings) in {args.db}")
    table = Table(title="events by type")
    table.add_column("type")
    table.add_column("events", justify="right")
    for k, v in sorted(summary["by_type"].items(), key=lambda kv: -kv[1]):
        table.add_row(k, str(v))
    console.print(table)
    pairs = Table(title="top actor pairs")
    for col in ("source", "target", "events"):
        pairs.add_column(col)
    for src, tgt, n in summary["top_pairs"][:10]:
        pairs.add_row(str(src), str(tgt), str(n))
    console.print(pairs)
    console.print("Query further:  .venv/bin/dateline events --actor Putin --type CONSULT\n"
                  "                .venv/bin/dateline events --country PRK --since 2023-01-01 --format jsonl\n"
                  "                .venv/bin/dateline serve   (then open http://127.0.0.1:8000)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score a stage against gold files."""
    try:
        module = importlib.import_module(f"dateline.evaluation.{args.kind}")
    except ModuleNotFoundError:
        print(f"dateline eval: unknown kind {args.kind!r}", file=sys.stderr)
        return 2
    options: dict[str, Any] = {}
    if args.profile:
        options["profile"] = args.profile
    if args.limit:
        options["limit"] = args.limit
    if args.context:
        options["context"] = True
    for item in args.option:
        key, _, value = item.partition("=")
        options[key.strip()] = {"true": True, "false": False}.get(value.lower(), int(value) if value.isdigit() else value)
    try:
        result = module.evaluate(args.gold, **options)
    except (OSError, ValueError) as exc:
        print(f"dateline eval {args.kind}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1, default=str) if args.json else module.report(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline", description=__doc__)
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="ingest the bundled sample into ./dateline.db and summarise it")
    p.add_argument("--db", default=DEFAULT_DB)
    _ingest_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("extract", help="events as JSON Lines (or CSV) on stdout, no database")
    add_pipeline_options(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("annotate", help="per document: sentences, actors, times, places, events (JSON Lines)")
    add_pipeline_options(p)
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("ingest", help="extract and store events")
    add_pipeline_options(p)
    p.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    _ingest_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("eval", help="measure accuracy of a stage on gold files")
    p.add_argument("kind", choices=("actors", "time", "places", "events", "news"))
    p.add_argument("gold", nargs="+", metavar="GOLD")
    p.add_argument("--profile", choices=("accurate", "fast", "rules"))
    p.add_argument("--limit", type=int, help="score only the first N items")
    p.add_argument("--context", action="store_true", help="actors: score spans inside their sentences")
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="extra option for the evaluator (e.g. use_doc=true for time)")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(func=cmd_eval)

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):
                raise
            continue
        module.register(sub)
    return parser


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=1, help="processes for extraction (default 1)")
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--batch-size", type=int, default=64, help="documents per committed batch")
    if not any(a.dest == "fast" for a in p._actions):
        p.add_argument("--fast", action="store_true", help="no transformer: TF-IDF classifier and rules")
        p.add_argument("--profile", choices=("accurate", "fast", "rules"), help=argparse.SUPPRESS)
    for name in ("actors", "agents", "triggers"):
        if not any(a.dest == name for a in p._actions):
            p.add_argument(f"--{name}", action="append", default=[], metavar="FILE")
    if not any(a.dest == "date" for a in p._actions):
        p.add_argument("--date", type=_date)
    if not any(a.dest == "min_confidence" for a in p._actions):
        _min_confidence_option(p)


def main(argv: Sequence[str] | None = None) -> int:
    # psycopg logs a second, multi-line account of a lost connection ("error ignored terminating …") through
    # Python's last-resort handler; dateline reports the failure itself in one line
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("dateline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (ValueError, OSError) as exc:
        print(f"dateline {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a database failure (locked, disk full, server gone): one line, exit 1
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"dateline {args.command}: database error: {reason} (committed batches are kept; run the command "
              f"again to continue)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
