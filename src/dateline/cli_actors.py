"""``dateline actors resolve`` and ``dateline dictionary import`` subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``actors resolve`` and ``dictionary import``."""
    actors = subparsers.add_parser("actors", help="actor dictionary tools")
    sub = actors.add_subparsers(dest="actors_cmd", required=True)
    res = sub.add_parser("resolve", help="resolve an actor description to name, country, sector, id")
    res.add_argument("text", nargs="?", default="-", help="description, or - for JSON lines {text, date} on stdin")
    res.add_argument("--date", help="YYYY-MM-DD: pick the role in force on that date")
    res.add_argument("--actors", action="append", default=[], help="extra actor dictionary (repeatable)")
    res.add_argument("--agents", action="append", default=[], help="extra agents dictionary (repeatable)")
    res.set_defaults(func=cmd_resolve)
    dic = subparsers.add_parser("dictionary", help="dictionary conversion")
    dsub = dic.add_subparsers(dest="dictionary_cmd", required=True)
    imp = dsub.add_parser("import", help="convert a PETRARCH/Phoenix, CSV or YAML dictionary to dateline's format")
    imp.add_argument("file")
    imp.add_argument("-o", "--out", help="output .json.gz (default: FILE with .json.gz)")
    imp.set_defaults(func=cmd_import)


def cmd_resolve(args: argparse.Namespace) -> int:
    from dateline.actors import get_stage

    stage = get_stage(args.actors, args.agents)
    default = _date(args.date)

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
            day = _date(rec.get("date")) if isinstance(rec, dict) and rec.get("date") else default
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
    d = Dictionary.load(src)
    out = Path(args.out) if args.out else src.with_name(src.name.split(".")[0] + ".json.gz")
    d.save(out)
    print(f"{src} → {out}: {len(d.actors)} actors, {len(d.phrases)} phrases, {len(d.agents)} agents",
          file=sys.stderr)
    return 0
