"""Readers: turn files (reference form, JSON Lines, CSV, plain text; folders, globs, .gz, stdin) into Documents.

Web pages (.html, .htm), WARC files and RSS/Atom feeds are read by :mod:`dateline.pages`; this module dispatches.

A bad record is reported through ``on_error`` as one line naming the file and line, then skipped; the records after
it are read. Every form is streamed in blocks (a .gz file decompressed as it is read, within a budget), so memory
stays bounded whatever the input; text is normalised (NFC, invisible controls removed) before offsets count.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dateline.decode import (
    BLOCK,
    MAX_ID,
    ErrorSink,
    ReadError,
    StreamError,
    clean_text,
    doc_id_for,
    normalize_text,
    plausible,
    raw_blocks,
)
from dateline.model import Document

if TYPE_CHECKING:
    from dateline.pages import Seen

REFERENCE_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)")
# a folder is read for these (and .gz of them); an .xml file only when it holds an RSS or Atom feed
KNOWN_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".txt", ".text", ".html", ".htm", ".warc", ".rss", ".atom",
                  ".xml")
PAGE_KINDS = ("html", "warc", "feed")  # the formats dateline.pages reads
DATE_FIELDS = ("published", "date", "publication_date", "pub_date")
MAX_FIELD = 50_000_000
# Longest JSON line or CSV record read (bytes; characters for CSV); a longer one is skipped with its line number.
# A plain text file keeps its first MAX_LINE characters (then MAX_TEXT applies). 16 MiB: 160 times MAX_TEXT.
MAX_LINE = 16 << 20
# Longest text a document keeps; longer texts are cut with a warning. Below the parser's limit
# (``dateline.nlp.MAX_CHARS``) because the actor and time stages grow faster than linearly with document length:
# 100,000 characters take under a minute, 1,000,000 would take hours (see docs/reliability.md).
MAX_TEXT = 100_000
_NONBLANK = re.compile(rb"[^ \t\r\n\f\v]")
_BARE_CR = re.compile(r"(?<=\r)(?!\n)")

def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class ReadStats:
    """Counts of what a read produced, for exit codes and summaries."""

    documents: int = 0
    errors: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # pages skipped, by reason (dateline.pages)

    def skipped_line(self) -> str | None:
        """``skipped 3 non-English pages, 1 duplicate page``; None when nothing was skipped."""
        parts = [f"{n} {reason if n == 1 else reason.replace('page', 'pages', 1)}"
                 for reason, n in sorted(self.skipped.items()) if n]
        return "skipped " + ", ".join(parts) if parts else None


def _loads(line: str, where: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{where}: invalid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise ReadError(f"{where}: invalid JSON (nested too deeply)") from exc
    except ValueError as exc:  # e.g. an integer over Python's 4300-digit limit
        raise ReadError(f"{where}: invalid JSON ({str(exc).split(';')[0]})") from exc


def parse_date(value: object, where: str) -> dt.date | None:
    """Parse a publication date (ISO date or datetime, or epoch seconds, years 1000-2999); None for empty values."""
    day = _parse_date(value, where)
    return day and plausible(day, f"{where}: field 'published'")


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
    text = normalize_text(text)
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
    if strs["title"] is not None:
        strs["title"] = normalize_text(strs["title"])
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


def _blocks(path: str, head: bytes = b"") -> Iterator[bytes]:
    """UTF-8 bytes of a file in blocks: a UTF-8 BOM dropped, UTF-16 (with a BOM) transcoded as it streams."""
    raw = raw_blocks(path)
    while len(head) < 3 and (block := next(raw, b"")):  # enough bytes to see a BOM
        head += block
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoder = codecs.getincrementaldecoder("utf-16")("strict")
        try:
            yield decoder.decode(head).encode("utf-8")
            for block in raw:
                yield decoder.decode(block).encode("utf-8")
            yield decoder.decode(b"", final=True).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise StreamError("invalid UTF-16; re-encode the file as UTF-8") from exc
        return
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head:
        yield head
    yield from raw


def _lines(blocks: Iterable[bytes], max_line: int) -> Iterator[tuple[int, bytes | None, bool]]:
    """(line number, data, blank) for every physical line of ``blocks``, cheaply for blank ones.

    ``data`` keeps its line end. A run of blank lines (ASCII white space only) comes as one item, or a few when the
    run crosses blocks, with ``blank`` true; a line over ``max_line`` bytes comes as ``None`` (it is never held)."""
    n = 1  # number of the line that starts buf[0]
    buf = b""
    skipping = False  # inside a line over max_line
    for block in blocks:
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                continue
            skipping = False
            yield n, None, False
            n += 1
            block = block[end + 1:]
        buf = buf + block if buf else block
        pos = 0
        while True:
            m = None if pos == 0 and buf.isspace() else _NONBLANK.search(buf, pos)  # isspace: 10x faster
            stop = m.start() if m else len(buf)
            start = buf.rfind(b"\n", pos, stop) + 1  # start of the line holding stop
            if start > pos:
                yield n, buf[pos:start], True
                n += buf.count(b"\n", pos, start)
                pos = start
            if m is None:
                break
            end = buf.find(b"\n", stop)
            if end < 0:
                if len(buf) - pos > max_line:
                    skipping = True
                    pos = len(buf)
                break
            if end + 1 - pos > max_line:
                yield n, None, False
            else:
                yield n, buf[pos:end + 1], False
            n += 1
            pos = end + 1
        buf = buf[pos:]
    if skipping:
        yield n, None, False
    elif buf:
        yield n, buf, not _NONBLANK.search(buf)


def _located(items: Iterator, path: str, where: list[int]) -> Iterator:
    """Items of ``_lines``, a stream error turned into a ReadError naming the line it was met at."""
    try:
        for item in items:
            where[0] = item[0]
            yield item
    except StreamError as exc:
        raise ReadError(f"{path}:{where[0]}: {exc}") from exc


def _decode_line(data: bytes) -> tuple[str, int | None]:
    """The line as text, and the column of its first invalid UTF-8 byte (None when valid)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", "replace"), exc.start + 1


def read_jsonl(path: str, on_error: ErrorSink, default_date: dt.date | None = None,
               head: bytes = b"") -> Iterator[Document]:
    """JSON Lines: one object per line, streamed; blank lines ignored, a line over ``MAX_LINE`` bytes skipped."""
    where = [1]
    name = "stdin" if path == "-" else path
    for n, data, blank in _located(_lines(_blocks(path, head), MAX_LINE), name, where):
        if blank:
            continue
        if data is None:
            on_error(f"{name}:{n}: line longer than read.MAX_LINE ({MAX_LINE:,} bytes); line skipped")
            continue
        line, bad = _decode_line(data)
        if bad is not None:
            on_error(f"{name}:{n}: invalid UTF-8 (column {bad}); line skipped")
            continue
        if not line.strip():
            continue
        at = f"{name}:{n}"
        try:
            yield record_to_document(_loads(line, at), at, default_date)
        except ReadError as exc:
            on_error(str(exc))


class _TooLong(Exception):
    """A CSV record over ``MAX_LINE`` characters."""


class _CsvFeed:
    """Physical lines for ``csv.reader``, one record at a time: blank lines between records skipped cheaply, the
    lines of the current record kept (to read it again leniently, or to resume after its first line), a record
    over ``MAX_LINE`` characters stopped."""

    def __init__(self, items: Iterator[tuple[int, bytes | None, bool]]) -> None:
        self.items = items
        self.replay: deque[tuple[int, str | None, bool, int | None]] = deque()
        self.begin()

    def begin(self) -> None:
        self.record: list[tuple[int, str | None, bool, int | None]] = []
        self.size = 0
        self.start = 0

    def _next_item(self) -> tuple[int, str | None, bool, int | None]:
        if self.replay:
            return self.replay.popleft()
        n, data, blank = next(self.items)
        if data is None:
            return n, None, False, None
        text, bad = _decode_line(data)
        if not blank and "\r" in text.rstrip("\r\n"):  # bare CR ends a line too (as csv reads a text file)
            parts = _BARE_CR.split(text)
            self.replay.extend((n + k, part, False, bad) for k, part in enumerate(parts[1:], 1))
            text = parts[0]
        return n, text, blank, bad

    def __iter__(self) -> _CsvFeed:
        return self

    def __next__(self) -> str:
        while True:
            item = self._next_item()
            n, text, blank, _ = item
            if blank and not self.record:
                continue
            if not self.record:
                self.start = n
            if text is None:
                self.start = self.start or n
                raise _TooLong
            self.record.append(item)
            self.size += len(text)
            if self.size > MAX_LINE:
                raise _TooLong
            return text

    def resume_after_first_line(self) -> None:
        """Read the lines after the current record's first line again, as new records."""
        self.replay.extendleft(reversed(self.record[1:]))


def _literal_stray_quotes(record: str) -> str:
    """A quote inside a quoted field that neither doubles nor ends the field (``"Biden "called" Xi."``) made a
    literal quote, as its writer meant; the rest unchanged."""
    out = []
    quoted = False
    field_start = True
    i, n = 0, len(record)
    while i < n:
        c = record[i]
        if quoted:
            if c == '"':
                after = record[i + 1] if i + 1 < n else ""
                if after == '"':
                    out.append('""')
                    i += 2
                    continue
                if after in ("", ",", "\r", "\n"):
                    quoted = False
                    out.append(c)
                else:
                    out.append('""')
            else:
                out.append(c)
        else:
            quoted = c == '"' and field_start
            field_start = c in ",\r\n"
            out.append(c)
        i += 1
    return "".join(out)


def _lenient_row(lines: list[str], fields: int) -> list[str] | None:
    """The record read with stray quotes taken literally, when that gives one well-formed row of at most
    ``fields`` fields."""
    try:
        rows = list(csv.reader(io.StringIO(_literal_stray_quotes("".join(lines)), newline=""), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 and 0 < len(rows[0]) <= fields else None


def read_csv(path: str, on_error: ErrorSink, default_date: dt.date | None = None) -> Iterator[Document]:
    """CSV with a header row naming the fields (``text`` required), streamed record by record.

    Parsed strictly; a bad record (a stray quote, a quote never closed, a record over ``MAX_LINE`` characters) is
    reported at the line where it starts, and reading goes on at the line after that one. A stray quote inside a quoted field (``"a "b" c"``) is
    read as a literal quote when that gives a well-formed record, with a one-line note. So a broken record costs
    only itself: every well-formed record after it is read."""
    csv.field_size_limit(MAX_FIELD)
    where = [1]
    feed = _CsvFeed(_located(_lines(_blocks(path), MAX_LINE), path, where))
    reader = csv.reader(feed, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        header = None
    except (csv.Error, _TooLong) as exc:
        what = str(exc) or f"longer than read.MAX_LINE = {MAX_LINE:,} characters"
        raise ReadError(f"{path}:{feed.start or 1}: malformed CSV header ({what})") from exc
    fieldnames = [f.strip() for f in header or []]
    if "text" not in fieldnames:
        raise ReadError(f"{path}:{feed.start or 1}: CSV header has no 'text' column (found {header})")
    if any(item[3] is not None for item in feed.record):
        raise ReadError(f"{path}:{feed.start}: invalid UTF-8 in the CSV header; re-encode the file as UTF-8")
    while True:
        feed.begin()
        try:
            row = next(reader)
        except StopIteration:
            return
        except _TooLong:
            on_error(f"{path}:{feed.start}: malformed CSV (a record over read.MAX_LINE = {MAX_LINE:,} characters: "
                     "a quoted field never closed?); record skipped")
            feed.resume_after_first_line()
            continue
        except csv.Error as exc:
            if "end of data" in str(exc) or "field larger" in str(exc):
                on_error(f"{path}:{feed.start}: malformed CSV (a quoted field is never closed); record skipped")
                feed.resume_after_first_line()
                continue
            lenient = _lenient_row([item[1] for item in feed.record], len(fieldnames))
            if lenient is None:
                on_error(f"{path}:{feed.start}: malformed CSV ({exc}); record skipped")
                feed.resume_after_first_line()  # its quote may be the bad one: the lines after it may be records
                continue
            on_error(f"{path}:{feed.start}: malformed CSV ({exc}): read with the stray quotes taken literally")
            row = lenient
        at = f"{path}:{feed.start}"
        bad = next((item for item in feed.record if item[3] is not None), None)
        if bad is not None:
            on_error(f"{path}:{bad[0]}: invalid UTF-8 (column {bad[3]}); record skipped")
            continue
        if not row:
            continue
        if len(row) > len(fieldnames):
            on_error(f"{at}: more fields than the header has")
            continue
        try:
            yield record_to_document(dict(zip(fieldnames, row, strict=False)), at, default_date)
        except ReadError as exc:
            on_error(str(exc))


def _whole_text(blocks: Iterable[bytes], name: str) -> tuple[str, int]:
    """The text of a file, its first ``MAX_LINE`` characters kept, and the number of characters it has in all."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    kept: list[str] = []
    size = total = lines = read_bytes = 0
    try:
        for block in blocks:
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                data = pending + block
                line = lines + data.count(b"\n", 0, exc.start) + 1
                raise ReadError(f"{name}:{line}: invalid UTF-8 (byte {read_bytes - len(pending) + exc.start}); "
                                "re-encode the file as UTF-8") from exc
            lines += block.count(b"\n")
            read_bytes += len(block)
            total += len(text)
            if size < MAX_LINE:
                kept.append(text[: MAX_LINE - size])
                size += len(kept[-1])
        try:
            total += len(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}:{lines + 1}: invalid UTF-8 (byte {read_bytes}); re-encode the file as UTF-8") \
                from exc
    except StreamError as exc:
        raise ReadError(f"{name}:{lines + 1}: {exc}") from exc
    return "".join(kept), total


def _text_document(path: str, blocks: Iterable[bytes], on_error: ErrorSink,
                   default_date: dt.date | None) -> Document:
    """A plain text: the reference form (``date YYYY-MM-DD`` then the text) or text dated by ``--date``."""
    name = "stdin" if path == "-" else path
    raw, total = _whole_text(blocks, name)
    text = normalize_text(raw)
    published = default_date
    m = REFERENCE_RE.match(text)
    if m:
        try:
            published = plausible(dt.date.fromisoformat(m.group(1)), f"{name}:1: date header")
        except ValueError as exc:
            raise ReadError(f"{name}:1: impossible date {m.group(1)!r} in the date header") from exc
        # The header is metadata, not text: offsets count from the first character after it.
        text = text[m.end():]
    if not text.strip():
        raise ReadError(f"{name}:1: empty document")
    if path == "-":
        doc = Document(id=doc_id_for(text, published), text=text, published=published, origin="stdin:1")
    else:
        if published is None:
            on_error(f"{path}:1: no publication date (use the 'date YYYY-MM-DD' header or --date); "
                     "relative dates unanchored")
        doc_id = f"{Path(path).name}-{doc_id_for(text, published)[2:10]}"
        doc = Document(id=doc_id, text=text, published=published, title=None, origin=f"{path}:1")
    if total > len(raw):  # only the first MAX_LINE characters were kept: cut now, naming the whole length
        return _capped(doc, on_error, len(text) + total - len(raw))
    return doc


def read_text(path: str, on_error: ErrorSink, default_date: dt.date | None = None) -> Iterator[Document]:
    """A plain text file: the reference form (``date YYYY-MM-DD`` then the text) or text dated by ``--date``."""
    return iter([_text_document(path, _blocks(path), on_error, default_date)])


def _sniff(path: str) -> str:
    """Format of a path from its suffix (ignoring .gz)."""
    base = path[:-3] if path.endswith(".gz") else path
    suffix = os.path.splitext(base)[1].lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".warc":
        return "warc"
    if suffix in (".rss", ".atom") or (suffix == ".xml" and _holds_feed(path)):
        return "feed"
    return "text"


def _holds_feed(path: str) -> bool:
    """True when a file (or .gz file) begins like an RSS or Atom feed; an unreadable one counts as one, so reading
    it reports the problem."""
    from dateline.pages import is_feed

    try:
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as fh:
            return is_feed(fh.read(4096))
    except (OSError, EOFError, zlib.error):
        return True


def _sniff_stdin() -> tuple[str, bytes]:
    """JSON Lines when the first character that is not white space is ``{`` or ``[``, else text; and the bytes read."""
    head = b""
    stdin = sys.stdin.buffer
    while len(head) <= MAX_LINE and not head.removeprefix(b"\xef\xbb\xbf").lstrip() and (block := stdin.read(BLOCK)):
        head += block
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return ("jsonl" if first in (b"{", b"[") else "text"), head


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
                    if base.lower().endswith(KNOWN_SUFFIXES) and (not base.lower().endswith(".xml")
                                                                  or _sniff(full) == "feed"):
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


def read_path(path: str, on_error: ErrorSink = _stderr, default_date: dt.date | None = None,
              seen: Seen | None = None) -> Iterator[Document]:
    """Documents of one file (or stdin), format chosen by suffix. ``seen`` (a ``pages.Seen``): the pages read so
    far, so a page read twice is one document."""
    if path == "-":
        kind, data = _sniff_stdin()
        return _read_stdin(kind, data, on_error, default_date)
    kind = _sniff(path)
    if kind in PAGE_KINDS:
        from dateline import pages

        reader = {"html": pages.read_html, "warc": pages.read_warc, "feed": pages.read_feed}[kind]
        return reader(path, on_error, default_date, seen)
    if kind == "jsonl":
        return read_jsonl(path, on_error, default_date)
    if kind == "csv":
        return read_csv(path, on_error, default_date)
    return read_text(path, on_error, default_date)


def _read_stdin(kind: str, head: bytes, on_error: ErrorSink, default_date: dt.date | None) -> Iterator[Document]:
    if kind == "jsonl":
        yield from read_jsonl("-", on_error, default_date, head)
    else:
        yield _text_document("-", _blocks("-", head), on_error, default_date)


def _capped(doc: Document, report: ErrorSink, n: int | None = None) -> Document:
    """Cut a text over MAX_TEXT characters (at a line or word break when one is near) and say so (``n``: the length
    of the whole text when only its beginning was read)."""
    n = n or len(doc.text)
    if n <= MAX_TEXT:
        return doc
    cut = max(doc.text.rfind("\n", MAX_TEXT - 10_000, MAX_TEXT), doc.text.rfind(" ", MAX_TEXT - 1_000, MAX_TEXT))
    doc.text = doc.text[: cut if cut > 0 else MAX_TEXT]
    report(f"{doc.origin or doc.id}: text of {n} characters truncated to {len(doc.text)} (limit {MAX_TEXT})")
    return doc


COUNT_BUDGET = 1 << 30  # bytes a progress total may scan before the run; larger inputs show no total


def count_documents(paths: Iterable[str]) -> int | None:
    """About how many documents ``read(paths)`` yields (a progress bar's total): one a text file or web page, one a
    non-blank line of plain JSON Lines; None when it cannot be told cheaply (stdin, CSV, WARC, feeds, gzip, over
    ``COUNT_BUDGET`` bytes).
    Paths that do not exist count nothing; ``read`` reports them."""
    files: list[str] = []
    for p in paths:
        try:
            files.extend(expand_paths([p]))
        except ReadError:
            continue
    if "-" in files or any(f.endswith(".gz") or _sniff(f) in ("csv", "warc", "feed") for f in files):
        return None
    try:
        if sum(os.path.getsize(f) for f in files) > COUNT_BUDGET:
            return None
        total = 0
        for f in files:
            if _sniff(f) in ("text", "html"):
                total += 1
                continue
            with open(f, "rb") as fh:
                total += sum(1 for line in fh if _NONBLANK.search(line))
        return total
    except OSError:
        return None


def read(
    paths: Iterable[str],
    on_error: ErrorSink = _stderr,
    default_date: dt.date | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Document]:
    """Documents from every path, lazily; bad records and unreadable files go to ``on_error`` and are skipped.
    A web page read twice (the same canonical URL or text, in any of the paths) is one document."""
    stats = stats if stats is not None else ReadStats()
    seen = None

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
        if seen is None and path != "-" and _sniff(path) in PAGE_KINDS:
            from dateline.pages import Seen

            seen = Seen(skipped=stats.skipped)
        try:
            for doc in read_path(path, report, default_date, seen):
                stats.documents += 1
                yield _capped(doc, report)
        except ReadError as exc:
            report(str(exc))
        except OSError as exc:
            report(f"{path}: cannot read ({exc.strerror or exc})")
