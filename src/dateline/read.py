"""Readers: turn files (reference form, JSON Lines, CSV, plain text; folders, globs, .gz, stdin) into Documents.

A bad record is reported through ``on_error`` as one line naming the file and line, then skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import gzip
import hashlib
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.model import Document

REFERENCE_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)")
KNOWN_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".txt", ".text")
DATE_FIELDS = ("published", "date", "publication_date", "pub_date")
MAX_FIELD = 50_000_000
# Longest text a document keeps; longer texts are cut with a warning. Below the parser's limit
# (``dateline.nlp.MAX_CHARS``) because the actor and time stages grow faster than linearly with document length:
# 100,000 characters take under a minute, 1,000,000 would take hours (see docs/reliability.md).
MAX_TEXT = 100_000
YEARS = (1000, 2999)  # plausible publication years; relative dates anchored near year 1 or 9999 overflow the calendar
MAX_ID = 255  # the store's id column
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8)

ErrorSink = Callable[[str], None]


class ReadError(ValueError):
    """A record that cannot be read; the message names file and line."""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class ReadStats:
    """Counts of what a read produced, for exit codes and summaries."""

    documents: int = 0
    errors: int = 0


def doc_id_for(text: str, published: dt.date | None = None) -> str:
    """Stable id for a document without one: a hash of its text (and date)."""
    h = hashlib.sha1(text.encode("utf-8", "surrogatepass"))
    if published:
        h.update(published.isoformat().encode())
    return "d-" + h.hexdigest()[:16]


def clean_text(value: str) -> str:
    """NUL becomes a space and a lone surrogate U+FFFD: same length, so offsets stay valid, and every store takes it."""
    if not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub(lambda m: " " if m.group() == "\x00" else "\ufffd", value)


def _loads(line: str, where: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{where}: invalid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise ReadError(f"{where}: invalid JSON (nested too deeply)") from exc
    except ValueError as exc:  # e.g. an integer over Python's 4300-digit limit
        raise ReadError(f"{where}: invalid JSON ({str(exc).split(';')[0]})") from exc


def _plausible(day: dt.date, where: str) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ReadError(f"{where}: publication year {day.year} outside {YEARS[0]}-{YEARS[1]}")
    return day


def parse_date(value: object, where: str) -> dt.date | None:
    """Parse a publication date (ISO date or datetime, or epoch seconds, years 1000-2999); None for empty values."""
    day = _parse_date(value, where)
    return day and _plausible(day, f"{where}: field 'published'")


def _parse_date(value: object, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ReadError(f"{where}: field 'published': not a date: {value!r}")
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError) as exc:
            raise ReadError(f"{where}: field 'published': impossible timestamp {value!r}") from exc
    if not isinstance(value, str):
        raise ReadError(f"{where}: field 'published': expected a date string, got {type(value).__name__}")
    s = value.strip()
    try:
        if len(s) >= 10 and s[4] == "-":
            return dt.date.fromisoformat(s[:10])
        if re.fullmatch(r"\d{8}", s):
            return dt.datetime.strptime(s, "%Y%m%d").date()
        return dt.datetime.fromisoformat(s).date()
    except (ValueError, IndexError) as exc:
        raise ReadError(f"{where}: field 'published': not a valid date: {value!r}") from exc


def record_to_document(rec: object, where: str, default_date: dt.date | None = None) -> Document:
    """Build a Document from a JSON/CSV record (``id``, ``published``/``date``, ``title``, ``text``, ``url``, ``source``)."""
    if not isinstance(rec, dict):
        raise ReadError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        raise ReadError(f"{where}: field 'text': missing or not a string")
    text = clean_text(text)
    if not text.strip():
        raise ReadError(f"{where}: field 'text': empty")
    published = default_date
    for key in DATE_FIELDS:
        if rec.get(key) not in (None, ""):
            published = parse_date(rec[key], where)
            break
    strs = {}
    for key in ("id", "title", "url", "source"):
        v = rec.get(key)
        if v is not None and not isinstance(v, str | int | float):
            raise ReadError(f"{where}: field {key!r}: expected a string, got {type(v).__name__}")
        try:
            strs[key] = None if v is None or v == "" else clean_text(str(v))
        except ValueError as exc:  # str() of a huge number
            raise ReadError(f"{where}: field {key!r}: {str(exc).split(';')[0]}") from exc
    if strs["id"] is not None and len(strs["id"]) > MAX_ID:
        raise ReadError(f"{where}: field 'id': longer than {MAX_ID} characters")
    if strs["source"] is not None:
        strs["source"] = strs["source"][:MAX_ID]
    extra = {k: v for k, v in rec.items() if k in ("dateline", "section", "author", "keywords") and v}
    return Document(
        id=strs["id"] or doc_id_for(text, published),
        text=text,
        published=published,
        title=strs["title"],
        url=strs["url"],
        source=strs["source"],
        origin=where,
        extra=extra,
    )


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise ReadError(f"{name}:{line}: invalid UTF-16 (byte {exc.start}); re-encode the file as UTF-8") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"{name}:{line}: invalid UTF-8 (byte {exc.start}); re-encode the file as UTF-8") from exc


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        data = fh.read()
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"{path}:1: not a valid gzip file ({exc})") from exc
    return data


def _iter_jsonl_lines(path: str) -> Iterator[tuple[int, str | ReadError]]:
    """Yield (line number, line or the ReadError of that line) lazily; a bad line never hides the ones around it."""
    raw = sys.stdin.buffer if path == "-" else gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")  # noqa: SIM115
    try:
        head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raw.close()
        raise ReadError(f"{path}:1: cannot read ({exc})") from exc
    utf16 = head in (b"\xff\xfe", b"\xfe\xff")
    lines: Iterable = io.TextIOWrapper(raw, encoding="utf-16", errors="strict") if utf16 else raw
    with raw:
        n = 0
        it = iter(lines)
        while True:
            n += 1
            try:
                line = next(it)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise ReadError(f"{path}:{n}: invalid UTF-16; re-encode the file as UTF-8") from exc
            except (OSError, EOFError, zlib.error) as exc:
                raise ReadError(f"{path}:{n}: cannot read ({exc})") from exc
            if isinstance(line, bytes):
                if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield n, ReadError(f"{path}:{n}: invalid UTF-8 (column {exc.start + 1}); line skipped")
                    continue
            yield n, line


def read_jsonl(path: str, on_error: ErrorSink, default_date: dt.date | None = None) -> Iterator[Document]:
    """JSON Lines: one object per line; blank lines ignored."""
    for n, line in _iter_jsonl_lines(path):
        if isinstance(line, ReadError):
            on_error(str(line))
            continue
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            yield record_to_document(_loads(line, where), where, default_date)
        except ReadError as exc:
            on_error(str(exc))


def read_csv(path: str, on_error: ErrorSink, default_date: dt.date | None = None) -> Iterator[Document]:
    """CSV with a header row naming the fields (``text`` required)."""
    csv.field_size_limit(MAX_FIELD)
    text = _decode(_read_bytes(path), path)
    # strict: a stray or unclosed quote is reported (naming the record's first line) instead of silently merging rows
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ReadError(f"{path}:1: malformed CSV header ({exc})") from exc
    if not fieldnames or "text" not in [f.strip() for f in fieldnames]:
        raise ReadError(f"{path}:1: CSV header has no 'text' column (found {fieldnames})")
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            what = "a quoted field is never closed" if "end of data" in str(exc) else str(exc)
            on_error(f"{path}:{start}: malformed CSV ({what}); record skipped")
            if reader.line_num < start:
                return
            continue
        where = f"{path}:{reader.line_num}"
        if None in row:
            on_error(f"{where}: more fields than the header has")
            continue
        try:
            yield record_to_document({k.strip(): v for k, v in row.items()}, where, default_date)
        except ReadError as exc:
            on_error(str(exc))


def read_text(path: str, on_error: ErrorSink, default_date: dt.date | None = None) -> Iterator[Document]:
    """A plain text file: the reference form (``date YYYY-MM-DD`` then the text) or text dated by ``--date``."""
    text = clean_text(_decode(_read_bytes(path), path))
    published = default_date
    m = REFERENCE_RE.match(text)
    if m:
        try:
            published = _plausible(dt.date.fromisoformat(m.group(1)), f"{path}:1: date header")
        except ValueError as exc:
            raise ReadError(f"{path}:1: impossible date {m.group(1)!r} in the date header") from exc
        # The header is metadata, not text: offsets count from the first character after it.
        text = text[m.end():]
    if not text.strip():
        raise ReadError(f"{path}:1: empty document")
    if published is None:
        on_error(f"{path}:1: no publication date (use the 'date YYYY-MM-DD' header or --date); relative dates unanchored")
    name = Path(path).name if path != "-" else "stdin"
    doc_id = doc_id_for(text, published) if path == "-" else f"{name}-{doc_id_for(text, published)[2:10]}"
    return iter([Document(id=doc_id, text=text, published=published, title=None, origin=f"{path}:1")])


def _sniff(path: str) -> str:
    """Format of a path from its suffix (ignoring .gz)."""
    base = path[:-3] if path.endswith(".gz") else path
    suffix = os.path.splitext(base)[1].lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "text"


def _sniff_stdin() -> tuple[str, bytes]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    return ("jsonl" if head in (b"{", b"[") else "text"), data


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders (recursively, known suffixes) and globs; '-' stays stdin."""
    for p in paths:
        if p == "-":
            yield p
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(root, f)
                    base = f[:-3] if f.endswith(".gz") else f
                    if base.lower().endswith(KNOWN_SUFFIXES):
                        yield full
        elif any(c in p for c in "*?["):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                raise ReadError(f"{p}: no file matches this pattern")
            yield from expand_paths(matches)
        elif os.path.exists(p):
            yield p
        else:
            raise ReadError(f"{p}: no such file or directory")


def read_path(path: str, on_error: ErrorSink = _stderr, default_date: dt.date | None = None) -> Iterator[Document]:
    """Documents of one file (or stdin), format chosen by suffix."""
    if path == "-":
        kind, data = _sniff_stdin()
        return _read_stdin(kind, data, on_error, default_date)
    kind = _sniff(path)
    if kind == "jsonl":
        return read_jsonl(path, on_error, default_date)
    if kind == "csv":
        return read_csv(path, on_error, default_date)
    return read_text(path, on_error, default_date)


def _read_stdin(kind: str, data: bytes, on_error: ErrorSink, default_date: dt.date | None) -> Iterator[Document]:
    text = clean_text(_decode(data, "stdin"))
    if kind == "jsonl":
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                yield record_to_document(_loads(line, f"stdin:{n}"), f"stdin:{n}", default_date)
            except ReadError as exc:
                on_error(str(exc))
        return
    m = REFERENCE_RE.match(text)
    published = default_date
    if m:
        try:
            published = _plausible(dt.date.fromisoformat(m.group(1)), "stdin:1: date header")
        except ValueError as exc:
            raise ReadError(f"stdin:1: impossible date {m.group(1)!r} in the date header") from exc
        text = text[m.end():]
    if not text.strip():
        raise ReadError("stdin:1: empty document")
    yield Document(id=doc_id_for(text, published), text=text, published=published, origin="stdin:1")


def _capped(doc: Document, report: ErrorSink) -> Document:
    """Cut a text over MAX_TEXT characters (at a line or word break when one is near) and say so."""
    n = len(doc.text)
    if n <= MAX_TEXT:
        return doc
    cut = max(doc.text.rfind("\n", MAX_TEXT - 10_000, MAX_TEXT), doc.text.rfind(" ", MAX_TEXT - 1_000, MAX_TEXT))
    doc.text = doc.text[: cut if cut > 0 else MAX_TEXT]
    report(f"{doc.origin or doc.id}: text of {n} characters truncated to {len(doc.text)} (limit {MAX_TEXT})")
    return doc


def read(
    paths: Iterable[str],
    on_error: ErrorSink = _stderr,
    default_date: dt.date | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Document]:
    """Documents from every path, lazily; bad records and unreadable files go to ``on_error`` and are skipped."""
    stats = stats if stats is not None else ReadStats()

    def report(message: str) -> None:
        stats.errors += 1
        on_error(message)

    expanded: list[str] = []
    for p in paths:  # one missing path does not stop the others
        try:
            expanded.extend(expand_paths([p]))
        except ReadError as exc:
            report(str(exc))
    for path in expanded:
        try:
            for doc in read_path(path, report, default_date):
                stats.documents += 1
                yield _capped(doc, report)
        except ReadError as exc:
            report(str(exc))
        except OSError as exc:
            report(f"{path}: cannot read ({exc.strerror or exc})")
