"""The basics every reader shares: ReadError, streamed bytes within a budget (.gz decompressed as it is read),
text normalisation (the offsets the stages count index the normalised text), plausible publication years, ids.

:mod:`dateline.read` (the text formats and the dispatcher) and :mod:`dateline.pages` (web pages, WARC, feeds) both
build on this module; it imports neither.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterator

# Budget of one .gz file: it is decompressed as it is read and stops with a one-line error (the documents read so far
# kept) once it has expanded past MAX_INFLATED bytes, or past MAX_RATIO times the compressed bytes read after the
# first RATIO_AFTER bytes. News text compresses 3-10 times; a compression bomb 1,000 times.
MAX_INFLATED = 4 << 30
MAX_RATIO = 100
RATIO_AFTER = 32 << 20
BLOCK = 1 << 20  # bytes read at a time

YEARS = (1000, 2999)  # plausible publication years; relative dates anchored near year 1 or 9999 overflow the calendar
MAX_ID = 255  # the store's id column
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8)
# Zero-width characters, direction marks, embeddings, overrides and isolates, invisible operators and the BOM:
# removed from texts and titles ("Pu\u200btin" is "Putin").
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

ErrorSink = Callable[[str], None]


class ReadError(ValueError):
    """A record that cannot be read; the message names file and line."""


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


def normalize_text(value: str) -> str:
    """Text as the stages see it: ``clean_text``, invisible controls (``INVISIBLE``) removed, then Unicode NFC.
    Done by the reader before any offset is computed, so offsets index the stored text."""
    value = clean_text(value)
    if value.isascii():
        return value
    if INVISIBLE.search(value):
        value = INVISIBLE.sub("", value)
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def plausible(day: dt.date, where: str) -> dt.date:
    """``day``, when its year is plausible for a publication (``YEARS``); else ReadError naming ``where``."""
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ReadError(f"{where}: publication year {day.year} outside {YEARS[0]}-{YEARS[1]}")
    return day


class StreamError(Exception):
    """A stream that cannot be read on (broken gzip, invalid UTF-16); the reader adds file and line."""


class OverBudget(StreamError):
    """A compressed file that expands past ``MAX_INFLATED`` or ``MAX_RATIO``; the rest of the file is not read."""


def raw_blocks(path: str) -> Iterator[bytes]:
    """The file's bytes in blocks of ``BLOCK``; a .gz file decompressed as it is read, within the budget."""
    if path == "-":
        stdin = sys.stdin.buffer
        while block := stdin.read(BLOCK):
            yield block
        return
    with open(path, "rb") as fh:
        if not path.endswith(".gz"):
            while block := fh.read(BLOCK):
                yield block
            return
        gz = gzip.GzipFile(fileobj=fh, mode="rb")
        out = 0
        while True:
            try:
                block = gz.read(BLOCK)
            except (OSError, EOFError, zlib.error) as exc:
                raise StreamError(f"not a valid gzip file ({exc})") from exc
            if not block:
                return
            out += len(block)
            packed = max(fh.tell(), 1)
            if out > MAX_INFLATED or (out > RATIO_AFTER and out > MAX_RATIO * packed):
                why = f"decode.MAX_INFLATED = {MAX_INFLATED >> 20} MiB" if out > MAX_INFLATED else \
                    f"decode.MAX_RATIO = {MAX_RATIO} times the {packed:,} compressed bytes read"
                raise OverBudget(f"gzip data expands past {why} (a compression bomb?); reading stopped after "
                                  f"{out >> 20} MiB, the rest of the file is skipped")
            yield block
