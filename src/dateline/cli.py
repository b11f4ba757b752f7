"""The ``dateline`` command line: one verb per job. Only this module (and web/) knows about the terminal."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from dateline import DEFAULT_URL, __version__
from dateline.evaluation import KINDS
from dateline.query import (
    FILTERS,
    SORT_KEYS,
    FilterError,
    Query,
    filter_fields,
    option_name,
    parse_int,
    parse_probability,
    parse_query,
    parse_sort,
)
from dateline.read import KNOWN_SUFFIXES, ReadError, ReadStats, count_documents, expand_paths, read

DB_HELP = f"database URL (default {DEFAULT_URL})"
PROFILES = ("accurate", "fast", "rules")
EVENT_FORMATS = ("table", "csv", "jsonl", "parquet")


# ---- option groups -------------------------------------------------------------------------------------------------

def _date(value: str) -> dt.date:
    from dateline.decode import YEARS

    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc
    if not YEARS[0] <= day.year <= YEARS[1]:  # relative dates near year 1 or 9999 overflow the calendar
        raise argparse.ArgumentTypeError(f"year outside {YEARS[0]}-{YEARS[1]}: {value!r}")
    return day


def _argtype(check: Callable[[Any, str], Any], option: str) -> Callable[[str], Any]:
    """A check of :mod:`dateline.query` as an argparse type: a bad value exits 2 with a usage line naming the option."""
    def parse(value: str) -> Any:
        try:
            return check(value, option)
        except FilterError as exc:
            raise argparse.ArgumentTypeError(str(exc).split(": ", 1)[-1]) from None
    parse.__name__ = option
    return parse


def _sort(value: str) -> str:
    try:
        parse_sort(value)
    except FilterError:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(SORT_KEYS)} (prefix - for descending)") from None
    return value


def add_db_option(p: argparse.ArgumentParser, help: str | None = DB_HELP) -> None:  # noqa: A002
    p.add_argument("--db", default=DEFAULT_URL, help=help)


def add_pipeline_options(p: argparse.ArgumentParser, paths: bool = True) -> None:
    """Options shared by every command that runs the pipeline (``paths``: with the input paths)."""
    if paths:
        p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, globs, .gz, or - for stdin")
    p.add_argument("--date", type=_date, help="publication date for inputs without one (YYYY-MM-DD)")
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="user actor dictionary (PETRARCH/Phoenix, YAML or CSV); repeatable; wins over shipped ones")
    p.add_argument("--agents", action="append", default=[], metavar="FILE", help="user agents dictionary; repeatable")
    p.add_argument("--triggers", action="append", default=[], metavar="FILE", help="user trigger table (YAML)")
    p.add_argument("--verbs", action="append", default=[], metavar="FILE",
                   help="user verb dictionary (PETRARCH 2 or TABARI verb patterns); repeatable; its rules decide the "
                        "CAMEO code and sides before the shipped lexicon (records say which rule: 'rule')")
    p.add_argument("--discards", action="append", default=[], metavar="FILE",
                   help="PETRARCH discard file: phrases whose sentence (with '+', whole story) codes no event; "
                        "repeatable")
    p.add_argument("--issues", action="append", default=[], metavar="FILE",
                   help="PETRARCH issue file: each record lists the issues its sentence speaks of ('issues'); "
                        "repeatable")
    p.add_argument("--fast", action="store_true", help="no transformer: TF-IDF classifier and rules")
    p.add_argument("--profile", choices=PROFILES, help=argparse.SUPPRESS)
    p.add_argument("--min-confidence", type=_argtype(parse_probability, "min-confidence"), metavar="P",
                   help="keep only records whose confidence (the event gate's probability that the record is "
                        "right) reaches P; default: the gate's minimum, curated trigger patterns always kept")


def add_ingest_options(p: argparse.ArgumentParser) -> None:
    """Options of the commands that store what the pipeline finds."""
    p.add_argument("--workers", type=int, default=1, help="processes for extraction (default 1)")
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--batch-size", type=int, default=64, help="documents per committed batch")


def add_filters(p: argparse.ArgumentParser) -> None:
    """``--db`` and the filter options of ``events`` and ``export``: one per filter of :class:`dateline.query.Query`."""
    add_db_option(p, f"database URL (default {DEFAULT_URL}; postgresql://… works)")
    for f, meta in filter_fields():
        name = option_name(f, meta)
        flag = "--" + name.replace("_", "-")  # --min-confidence on the command line, min_confidence over HTTP
        if meta.flag:
            p.add_argument(flag, dest=name, action="store_true", help=meta.help)
        else:
            p.add_argument(flag, dest=name, type=_argtype(meta.check, flag[2:]) if meta.early else None,
                           metavar=meta.metavar, help=meta.help)


def add_output_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


# ---- the pipeline: extract, annotate, ingest, demo -----------------------------------------------------------------

def _profile(args: argparse.Namespace) -> str:
    return args.profile or ("fast" if args.fast else "accurate")


def pipeline_args(args: argparse.Namespace) -> dict[str, Any]:
    """The pipeline options of the command line, as ``Pipeline`` and ``run_ingest`` take them (one mapping)."""
    return {"profile": _profile(args), "actors_files": args.actors, "agents_files": args.agents,
            "trigger_files": args.triggers, "verb_files": args.verbs, "discard_files": args.discards,
            "issue_files": args.issues, "min_confidence": args.min_confidence}


def make_pipeline(args: argparse.Namespace):
    from dateline.pipeline import Pipeline

    return Pipeline(**pipeline_args(args))


@contextmanager
def progress(total: int | None, label: str):
    """A rich progress bar on a terminal; silent when stderr is piped."""
    if not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if total is not None:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


def _no_input(paths: Sequence[str]) -> bool:
    """True (and each path's problem printed) when no given path exists: checked before any model loads."""
    problems = []
    for p in paths:
        try:
            if any(True for _ in expand_paths([p])):
                return False
            problems.append(f"{p}: holds no input files ({', '.join(KNOWN_SUFFIXES)}, or .gz of them)")
        except ReadError as exc:
            problems.append(str(exc))
    for msg in problems:
        print(msg, file=sys.stderr)
    return True


def _documents(args: argparse.Namespace, stats: ReadStats) -> Iterator:
    return read(args.paths, default_date=args.date, stats=stats)


def _report_skipped(stats: ReadStats) -> None:
    """One stderr line for the pages the read skipped (non-English, duplicates, no article text), if any."""
    if line := stats.skipped_line():
        print(line, file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    """Events to stdout, no database."""
    from dateline import export

    if _no_input(args.paths):
        return 2
    stats = ReadStats()
    pipe = make_pipeline(args)
    recs = (ev.to_dict() for ann in pipe.annotate(_documents(args, stats)) for ev in ann.events)
    if args.format == "csv":  # the export's columns for records (no report counts)
        export.write_csv(recs, sys.stdout, export.RECORD_CSV_FIELDS, lineterminator="\r\n")
    else:
        export.write_jsonl(recs, sys.stdout)
    sys.stdout.flush()
    _report_skipped(stats)
    return 0 if stats.documents else 2


def cmd_annotate(args: argparse.Namespace) -> int:
    """One JSON object per document: sentences, mentions, times, places, events."""
    if _no_input(args.paths):
        return 2
    stats = ReadStats()
    pipe = make_pipeline(args)
    for ann in pipe.annotate(_documents(args, stats)):
        sys.stdout.write(json.dumps(ann.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    _report_skipped(stats)
    return 0 if stats.documents else 2


def ingest(args: argparse.Namespace, paths: Sequence[str] | None = None, quiet: bool = False) -> tuple[int, int, ReadStats]:
    """Read, annotate and store in batches; each batch commits whole. Returns (documents, events, read stats)."""
    from dateline.ingest import run_ingest
    from dateline.store import Store

    stats = ReadStats()
    docs = read(paths or args.paths, default_date=args.date, stats=stats)
    store = Store(args.db)
    total = count_documents(paths or args.paths) if sys.stderr.isatty() else None
    try:
        with progress(total, "ingest") as advance:
            added_docs, added_events = run_ingest(
                docs, store, **pipeline_args(args), workers=args.workers, engine=args.engine,
                scheduler=args.scheduler, batch_size=args.batch_size, on_batch=lambda n: advance(n),
            )
    finally:
        store.close()
    if not quiet:
        skipped = stats.skipped_line()
        print(f"read {stats.documents} documents ({stats.errors} problems{'; ' + skipped if skipped else ''}); "
              f"stored {added_docs} new documents, {added_events} events into {args.db}", file=sys.stderr)
    return added_docs, added_events, stats


def cmd_ingest(args: argparse.Namespace) -> int:
    if _no_input(args.paths):
        return 2
    _, _, stats = ingest(args)
    return 0 if stats.documents else 2


def cmd_watch(args: argparse.Namespace) -> int:
    """Follow feeds and folders until interrupted (or ``--rounds``), logging each poll on stderr."""
    from dateline.store import Store, StoreError
    from dateline.watch import Fetcher, Watcher

    feeds = [s for s in args.sources if "://" in s]
    folders = [s for s in args.sources if "://" not in s]
    missing = [f for f in folders if not os.path.isdir(f)]
    if missing:
        return _fail("watch", ReadError(f"{missing[0]}: not a folder (a feed is an http:// or https:// URL)"))

    def log(message: str) -> None:
        print(f"{dt.datetime.now().isoformat(timespec='seconds')} {message}", file=sys.stderr, flush=True)

    try:
        store = Store(args.db)
        watcher = Watcher(store, Path(args.state or "dateline-watch.json"), feeds, folders, args.interval,
                          Fetcher(delay=args.delay), log=log, options=pipeline_args(args))
    except (ReadError, StoreError) as exc:
        return _fail("watch", exc)
    log(f"watching {len(feeds)} feeds and {len(folders)} folders every {args.interval:g} s into {args.db}")
    try:
        watcher.run(rounds=args.rounds)
    except KeyboardInterrupt:
        log("stopped")
    finally:
        store.close()
    return 0


def sample_paths() -> list[str]:
    """The bundled sample: public-domain VOA stories and the reference article."""
    base = resources.files("dateline") / "data" / "sample"
    return [str(base / "voa_stories.jsonl"), str(base / "kim-putin-vostochny.txt")]


def cmd_demo(args: argparse.Namespace) -> int:
    """Ingest the bundled sample into ./dateline.db and summarise it."""
    from rich.console import Console
    from rich.table import Table

    from dateline.store import Store

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


def cmd_actors_build(args: argparse.Namespace) -> int:
    """Rebuild the actor dictionary from the open data sets."""
    from dateline.actors import build

    shared = Path(args.shared)
    if not (shared / "data" / "dictionaries").is_dir():
        print(f"dateline actors build: {shared}/data/dictionaries not found (give --shared)", file=sys.stderr)
        return 2
    try:
        print(build.build_file(shared, Path(args.out) if args.out else build.SHIPPED))
    except (OSError, ValueError, KeyError) as exc:
        print(f"dateline actors build: {exc}", file=sys.stderr)
        return 2
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


# ---- the store: events, export, db upgrade -------------------------------------------------------------------------

def _query(args: argparse.Namespace, *, paged: bool) -> Query:
    values = {name: getattr(args, name, None) for name in FILTERS}
    if paged:
        values.update(sort=args.sort, descending=args.descending, limit=args.limit or None, offset=args.offset)
    q = parse_query(values)
    return dataclasses.replace(q, limit=None) if paged and args.limit == 0 else q  # --limit 0: every row


def _fail(command: str, exc: Exception) -> int:
    print(f"dateline {command}: error: {exc}", file=sys.stderr)
    return 2


def _on_store(command: str, args: argparse.Namespace, paged: bool, work: Any) -> tuple[Any, Any]:
    """Parse the filters, open the store, run ``work(store, query)``, close it. Returns (query, result), or
    (None, exit code) after a one-line error naming the command."""
    from dateline.store import Store, StoreError

    try:
        q = _query(args, paged=paged)
        store = Store(args.db, create=False)  # a read never makes a database
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

    q, frame = _on_store("events", args, True, lambda store, q: store.events(q))
    if q is None:
        return frame
    recs = list(export.records(frame))
    total = frame.attrs.get("total", len(recs))
    if total > len(recs):  # a page never cuts silently
        print(f"dateline events: showing {len(recs)} of {total} (--limit N, --offset N; --limit 0 for all)",
              file=sys.stderr)
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


def _table_rows(recs: list[dict[str, Any]], groups: bool) -> tuple[list[str], list[list[str]]]:
    """The columns and cells of the events table (names, not nested sides)."""
    from dateline.export import _names

    cols = ["date", "type", "source", "target", "location", "status"] + (["reports"] if groups else []) + ["sentence"]
    rows = []
    for r in recs:
        loc = r.get("location") or {}
        row = [r.get("date") or "", r.get("type") or "", _names(r.get("source")), _names(r.get("target")),
               loc.get("name") or "", r.get("status") or ""]
        if groups:
            row.append(str(r.get("reports") or 1))
        row.append(r.get("sentence") or "")
        rows.append(row)
    return cols, rows


def _print_table(recs: list[dict[str, Any]], groups: bool, path: str | None) -> None:
    """A table on a terminal or in ``path``; plain tab-separated lines when stdout is a pipe (never wrapped)."""
    cols, rows = _table_rows(recs, groups)
    if not path and not sys.stdout.isatty():
        for line in (cols, *rows):
            print("\t".join(" ".join(cell.split()) for cell in line))
        if not recs:
            print("no events match", file=sys.stderr)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold", max_width=60 if c == "sentence" else 28)
    for row in rows:
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
                     lambda store, q: export.export(store, args.export_format, args.output, query=q))
    if q is None:
        return n
    if args.output:
        print(f"wrote {n} {'edges' if args.export_format == 'graphml' else 'records'} to {args.output}",
              file=sys.stderr)
    return 0


def cmd_db_delete(args: argparse.Namespace) -> int:
    from dateline.store import Store, StoreError

    try:
        store = Store(args.db, create=False)
        docs, events = store.delete_documents(args.ids)
        store.close()
    except StoreError as exc:
        return _fail("db delete", exc)
    print(f"{args.db}: removed {docs} of {len(set(args.ids))} documents, {events} events", file=sys.stderr)
    return 0 if docs == len(set(args.ids)) else 1


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from dateline.store import Store, StoreError

    try:
        store = Store(args.db, create=False)
        before = store.version
        after = store.upgrade()
        store.close()
    except StoreError as exc:
        return _fail("db upgrade", exc)
    print(f"{args.db}: schema version {before} -> {after}" if before != after
          else f"{args.db}: schema version {after} is current", file=sys.stderr)
    return 0


# ---- dictionaries: actors resolve, dictionary import ---------------------------------------------------------------

def _day(text: str | None) -> dt.date | None:
    """A date as written ("2022-04-12", "12 April 2022", "April 2022"); ValueError naming it when it is none."""
    if not text:
        return None
    from dateline.when.times import calendar_day

    day = calendar_day(str(text))
    if day is None:
        raise ValueError(f"date {text!r}: expected YYYY-MM-DD or a date such as '12 April 2022'")
    return day


def _date_arg(text: str) -> dt.date | None:
    try:
        return _day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_resolve(args: argparse.Namespace) -> int:
    from dateline.actors import get_stage

    stage = get_stage(args.actors, args.agents)
    default = args.date

    def answer(text: str, day: dt.date | None) -> str:
        r = stage.resolve(text, day)
        return json.dumps({"text": text, "name": r.name, "country": r.country, "sector": r.sector, "id": r.id},
                          ensure_ascii=False)

    if args.text != "-":
        print(answer(args.text, default))
        return 0
    out = sys.stdout
    status = 0
    for n, line in enumerate(sys.stdin, 1):
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
            text = rec["text"] if isinstance(rec, dict) else str(rec)
            day = _day(rec.get("date")) if isinstance(rec, dict) and rec.get("date") else default
        except (ValueError, KeyError, TypeError) as exc:
            print(f"stdin:{n}: {exc}", file=sys.stderr)
            status = 1
            continue
        out.write(answer(text, day) + "\n")
    return status


def cmd_import(args: argparse.Namespace) -> int:
    from dateline.actors.dictionary import Dictionary

    src = Path(args.file)
    if not src.exists():
        print(f"{src}: no such file", file=sys.stderr)
        return 2
    from dateline.events.verbs import is_verb_dictionary

    if args.kind == "verbs" or (args.kind == "auto" and is_verb_dictionary(src)):
        return _import_verbs(src)
    d = Dictionary.load(src)
    out = Path(args.out) if args.out else src.with_name(src.name.split(".")[0] + ".json.gz")
    d.save(out)
    print(f"{src} → {out}: {len(d.actors)} actors, {len(d.phrases)} phrases, {len(d.agents)} agents",
          file=sys.stderr)
    return 0


def _import_verbs(src: Path) -> int:
    """Read a verb dictionary and say what it holds; dateline uses it as it is (``--verbs FILE``)."""
    from dateline.events.verbs import VerbDictionary, VerbDictionaryError, summary

    try:
        s = summary(VerbDictionary.load([src]))
    except VerbDictionaryError as exc:
        return _fail("dictionary import", exc)
    outside = s["outside_cameo"]
    print(f"{src}: verb dictionary: {s['families']} verb families, {s['verbs']} verb forms, {s['patterns']} patterns, "
          f"{s['synsets']} synsets, {s['codes']} codes ({len(outside)} outside CAMEO, kept as written"
          f"{': ' + ', '.join(outside[:20]) + (' …' if len(outside) > 20 else '') if outside else ''})")
    if s["transformations_skipped"]:
        print(f"{src}: {s['transformations_skipped']} transformation lines (~) not applied")
    for warning in s["warnings"]:
        print(f"{warning}", file=sys.stderr)
    print(f"use it as it is: dateline extract --verbs {src} …", file=sys.stderr)
    return 0


# ---- the web: serve ------------------------------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store at ``args.db`` on ``args.host:args.port`` until interrupted."""
    import uvicorn

    from dateline.store import Store, StoreError
    from dateline.web.app import create_app

    try:  # a mistyped --db is an error, not a new empty store (--create makes one to POST documents into)
        Store(args.db, create=args.create).close()
    except StoreError as exc:
        return _fail("serve", exc)
    options = {"host": args.host, "port": args.port, "log_level": args.log_level,
               "access_log": args.log_level == "debug"}
    print(f"dateline serve: http://{args.host}:{args.port}/  (API docs at /docs, store {args.db})", file=sys.stderr)
    if args.workers > 1:  # each worker process opens the store itself
        os.environ["DATELINE_DB"] = args.db
        uvicorn.run("dateline.web.app:app_from_env", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(args.db), **options)
    return 0


# ---- the parser ----------------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    from dateline.export import FORMATS

    parser = argparse.ArgumentParser(prog="dateline", description=__doc__)
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="ingest the bundled sample into ./dateline.db and summarise it")
    add_db_option(p, None)
    add_ingest_options(p)
    add_pipeline_options(p, paths=False)
    p.set_defaults(func=cmd_demo, paths=[])

    p = sub.add_parser("extract", help="events as JSON Lines (or CSV) on stdout, no database")
    add_pipeline_options(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("annotate", help="per document: sentences, actors, times, places, events (JSON Lines)")
    add_pipeline_options(p)
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("ingest", help="extract and store events")
    add_pipeline_options(p)
    add_db_option(p)
    add_ingest_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("watch", help="follow feeds (http/https URLs) and folders; ingest what is new as it comes")
    p.add_argument("sources", nargs="+", metavar="FEED_URL|FOLDER", help="RSS/Atom feed URLs and folders to follow")
    add_pipeline_options(p, paths=False)
    add_db_option(p)
    p.add_argument("--interval", type=float, default=300.0, metavar="SECONDS", help="seconds between polls (300)")
    p.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                   help="seconds between two requests to one host (1)")
    p.add_argument("--state", metavar="FILE",
                   help="state file (feeds' validators, items stored); default: dateline-watch.json")
    p.add_argument("--rounds", type=int, metavar="N", help="stop after N polls (default: run until interrupted)")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("eval", help="measure accuracy of a stage on gold files")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("gold", nargs="+", metavar="GOLD")
    p.add_argument("--profile", choices=PROFILES)
    p.add_argument("--limit", type=int, help="score only the first N items")
    p.add_argument("--context", action="store_true", help="actors: score spans inside their sentences")
    p.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                   help="extra option for the evaluator (e.g. use_doc=true for time)")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("events", help="query stored events (one row per happening; --mentions for all)")
    add_filters(p)
    p.add_argument("--sort", type=_sort, default="date",
                   help="date, published, type, goldstein, confidence, id, reports (--sort=-KEY or --desc to reverse)")
    p.add_argument("--desc", dest="descending", action="store_true", help="sort in descending order")
    count = _argtype(parse_int, "number")
    p.add_argument("--limit", type=count, default=100, help="rows (default 100; 0: all)")
    p.add_argument("--offset", type=count, default=0)
    p.add_argument("--format", choices=EVENT_FORMATS, default="table")
    add_output_option(p)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("export", help="export events: " + ", ".join(FORMATS))
    p.add_argument("export_format", metavar="FORMAT", choices=FORMATS, help=", ".join(FORMATS))
    add_filters(p)
    add_output_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("db", help="database maintenance")
    dsub = p.add_subparsers(dest="db_command", required=True)
    u = dsub.add_parser("upgrade", help="migrate an older database schema to this version")
    add_db_option(u, None)
    u.set_defaults(func=cmd_db_upgrade)
    d = dsub.add_parser("delete", help="remove documents and their events (their groups are regrouped)")
    d.add_argument("ids", nargs="+", metavar="DOC_ID", help="document ids (as in the events' doc_id)")
    add_db_option(d, None)
    d.set_defaults(func=cmd_db_delete)

    p = sub.add_parser("actors", help="actor dictionary tools")
    asub = p.add_subparsers(dest="actors_cmd", required=True)
    res = asub.add_parser("resolve", help="resolve an actor description to name, country, sector, id")
    res.add_argument("text", nargs="?", default="-", help="description, or - for JSON lines {text, date} on stdin")
    res.add_argument("--date", type=_date_arg, help="pick the role in force on that date (YYYY-MM-DD, "
                                                   "'12 April 2022', 'April 2022')")
    res.add_argument("--actors", action="append", default=[], help="extra actor dictionary (repeatable)")
    res.add_argument("--agents", action="append", default=[], help="extra agents dictionary (repeatable)")
    res.set_defaults(func=cmd_resolve)
    bld = asub.add_parser("build", help="rebuild the actor dictionary from the open data sets (Phoenix, Wikidata office "
                                        "holders, UCDP, Party Facts)")
    bld.add_argument("--shared", default="../shared", help="folder holding data/dictionaries (default ../shared)")
    bld.add_argument("-o", "--out", help="output .json.gz (default: the shipped dictionary of this checkout)")
    bld.set_defaults(func=cmd_actors_build)

    p = sub.add_parser("dictionary", help="dictionary conversion")
    dsub = p.add_subparsers(dest="dictionary_cmd", required=True)
    imp = dsub.add_parser("import", help="convert a PETRARCH/Phoenix, CSV or YAML dictionary to dateline's format; "
                                         "a PETRARCH/TABARI verb dictionary is checked and summarised")
    imp.add_argument("file")
    imp.add_argument("--kind", choices=("auto", "actors", "verbs"), default="auto",
                     help="what FILE holds (default: a verb dictionary when it has verb families or patterns)")
    imp.add_argument("-o", "--out", help="output .json.gz (default: FILE with .json.gz)")
    imp.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", help="HTTP API (OpenAPI docs at /docs) and web page over a store",
                       description="Serve the event store over HTTP. Writes (POST /api/documents) need "
                                   "DATELINE_API_KEY; set DATELINE_API_READ_KEY to require a key for reads.")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.add_argument("--create", action="store_true", help="make the store when it does not exist (default: refuse)")
    p.set_defaults(func=cmd_serve)
    return parser


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
        from dateline.store import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"dateline {args.command}: database error: {reason} (committed batches are kept; run the command "
              f"again to continue)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
