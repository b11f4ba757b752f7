"""Web pages, WARC files and RSS/Atom feeds into Documents.

The article text, title, date and canonical URL of a page come from trafilatura (boilerplate, navigation and comments
left out); WARC records from warcio (``response`` records of HTML with HTTP status 200: the URL from
WARC-Target-URI, the capture time from WARC-Date); feeds from feedparser; the language from py3langid. The libraries
are imported on first use, so ``import dateline`` stays light.

A page is skipped, and counted in ``Seen.skipped`` by reason, when it has under ``MIN_TEXT`` characters of article
text (with a notice naming the file and record), is not in English, or repeats a page read before (the same canonical
URL, or the same text under another URL). A document's id is a hash of its canonical URL, so a changed article at the
same URL keeps its id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import re
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from dateline.decode import (
    MAX_ID,
    YEARS,
    ErrorSink,
    ReadError,
    StreamError,
    doc_id_for,
    normalize_text,
    plausible,
    raw_blocks,
)
from dateline.model import Document

MIN_TEXT = 200  # characters of article text a page needs; fewer: an index, section or paywall page
MAX_PAGE = 16 << 20  # bytes of one page (an HTML file or a WARC record's body); a larger one is skipped
MAX_FEED = 64 << 20  # bytes of one feed file
# trafilatura's options for a page: comments and tables left out; fast and precision mode (no readability/jusText
# fallback, no whole-page text measure for short articles: the same text on the pages tested, 199-221 pages/s against
# 151 for fast alone and 121 for the default in bench/bench_warc.py); the date only from the page's markup and URL
# (htmldate without its extensive search of the text, which would date a page by any date its story mentions)
EXTRACT_OPTIONS: dict[str, Any] = {
    "with_metadata": True, "include_comments": False, "include_tables": False, "fast": True, "favor_precision": True,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
LANGUAGE = "en"
LANG_SAMPLE = 400  # characters of the text the language is told from (two or three sentences; more costs time, not accuracy)
HTML_TYPES = ("text/html", "application/xhtml+xml")
# query parameters that track a click, not name an article: dropped from canonical URLs (utm_* by prefix)
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
    "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "icid", "ocid", "ito", "xtor", "s_cid", "smid", "smtyp",
    "ns_source", "ns_mchannel", "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign", "at_custom1",
    "at_custom2", "at_custom3", "at_custom4", "spm", "share", "sr_share", "amp", "outputtype",
})
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                        re.IGNORECASE | re.DOTALL)

# reasons a page is skipped (the keys of Seen.skipped)
NON_ENGLISH = "non-English page"
DUPLICATE = "duplicate page"
NO_TEXT = "page without article text"


@dataclass
class Seen:
    """What one read has taken from pages: 64-bit hashes of the ids and texts yielded (about 100 bytes a page), and
    the pages skipped, by reason."""

    keys: set[int] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)

    def repeats(self, doc_id: str, text: str) -> bool:
        """True when a page with this id or this text (white space and case aside) was seen; else remembers both."""
        folded = unicodedata.normalize("NFKC", " ".join(text.split())).casefold()
        keys = (_key(b"id", doc_id), _key(b"text", folded))
        if any(k in self.keys for k in keys):
            return True
        self.keys.update(keys)
        return False


def _key(kind: bytes, value: str) -> int:
    return int.from_bytes(hashlib.blake2b(kind + value.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


# ---- URLs ----------------------------------------------------------------------------------------------------------

def _tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def _unwrap_amp_cache(parts):
    """The publisher's URL inside a Google AMP cache or viewer URL (``…cdn.ampproject.org/c/s/HOST/PATH``,
    ``www.google.com/amp/s/HOST/PATH``); None when it is not one."""
    host, path = parts.hostname or "", parts.path
    if _AMP_CACHE.match(host):
        m = re.match(r"^/(?:[a-z]/)*?(s/)?([^/]+\.[^/]+)(/.*)?$", path)
    elif host in ("www.google.com", "google.com") and path.startswith("/amp/"):
        m = re.match(r"^/amp/(s/)?([^/]+\.[^/]+)(/.*)?$", path)
    else:
        return None
    if not m:
        return None
    scheme = "https" if m.group(1) or _AMP_CACHE.match(host) else "http"
    return urlunsplit((scheme, m.group(2), m.group(3) or "/", parts.query, ""))


def canonical_url(url: str) -> str:
    """The plain form of an article's URL, so one article read under several URLs is one document.

    Scheme and host lower-cased, the default port and the fragment dropped, tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``, ``mc_cid``, ``ref``, ``cmpid``, … see ``TRACKING_PARAMS``) removed, and AMP forms mapped to
    the article: an ``amp`` path segment, ``.amp``/``.amp.html`` endings, ``?amp``/``?outputType=amp``, an
    ``amp.`` host prefix (``amp.example.com`` → ``www.example.com``) and Google AMP cache URLs. Not a web URL
    (or unparseable): returned stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    inner = _unwrap_amp_cache(parts)
    if inner is not None:
        return canonical_url(inner)
    host = parts.hostname.rstrip(".")
    if host.startswith("amp.") and host.count(".") >= 2:
        host = "www." + host[4:]
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    segments = [s for s in parts.path.split("/") if s.lower() != "amp"]
    path = _AMP_SUFFIX.sub("", "/".join(segments)) or "/"
    if not path.startswith("/"):
        path = "/" + path
    query = "&".join(p for p in parts.query.split("&") if p and not _tracking(unquote_plus(p.split("=", 1)[0])))
    return urlunsplit((scheme, netloc, path, query, ""))


def url_id(url: str) -> str:
    """Stable id of a page: a hash of its canonical URL (as ``read.doc_id_for`` hashes a text)."""
    return "u-" + hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host[4:] if host and host.startswith("www.") else host


# ---- text, language, the document ----------------------------------------------------------------------------------

def paragraphs(text: str, title: str | None = None) -> str:
    """Extracted lines as paragraphs separated by a blank line; a first line repeating the title (the headline)
    dropped, since the title is kept apart."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == " ".join(title.split()).casefold():
        lines = lines[1:]
    return "\n\n".join(lines)


_identifier = None


def language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, from its first ``LANG_SAMPLE`` characters)."""
    global _identifier
    if _identifier is None:
        import py3langid

        _identifier = py3langid.classify
    return _identifier(text[:LANG_SAMPLE])[0]


@dataclass
class Page:
    """What the reader found for one page or feed item, before the checks that decide whether it is a document."""

    where: str  # the file, or file:record
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_from: str = "default"  # page | capture | feed | default (none: no date at all)
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def to_document(page: Page, seen: Seen, on_error: ErrorSink) -> Document | None:
    """The page as a Document, or None (counted in ``seen.skipped``) when it is too short, not in English, or a
    repeat of a page read before."""
    text = normalize_text(page.text)
    if len(text) < MIN_TEXT:
        _no_text(seen, on_error, page.where, page.url, f"{len(text)} characters")
        return None
    if language(text) != LANGUAGE:
        seen.skipped[NON_ENGLISH] += 1
        return None
    url = canonical_url(page.url) if page.url else None
    doc_id = url_id(url) if url else doc_id_for(text, page.published)
    if seen.repeats(doc_id, text):
        seen.skipped[DUPLICATE] += 1
        return None
    if page.published is None:
        on_error(f"{page.where}: no publication date (none in the page, and no --date); relative dates unanchored")
    title = normalize_text(" ".join(page.title.split())) if page.title else None
    source = (page.source or _host(url) or None)
    return Document(
        id=doc_id, text=text, published=page.published, title=title or None, url=url,
        source=source[:MAX_ID] if source else None, origin=page.where,
        extra={"published_from": page.published_from if page.published else "none", **page.extra},
    )


def _no_text(seen: Seen, on_error: ErrorSink, where: str, url: str | None, detail: str) -> None:
    seen.skipped[NO_TEXT] += 1
    at = f" at {url}" if url else ""
    on_error(f"{where}: no article text{at} ({detail}; an index or section page?); page skipped")


def _dated(page: Page, *fallbacks: tuple[dt.date | None, str]) -> Page:
    """The page with its own date, else the first of ``fallbacks`` (day, where it comes from) that is a day."""
    if page.published is not None:
        return page
    for day, source in fallbacks:
        if day is not None:
            return replace(page, published=day, published_from=source)
    return page


# ---- HTML ----------------------------------------------------------------------------------------------------------

def extract(html: str | bytes, url: str | None = None):
    """trafilatura's reading of a page (text, title, date, url, sitename), with ``EXTRACT_OPTIONS``, or None when it
    finds no article. A page without date metadata has no date here: the caller falls back to the capture time."""
    import trafilatura

    return trafilatura.bare_extraction(html, url=url, **EXTRACT_OPTIONS)


def _page_date(value: str | None, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return plausible(dt.date.fromisoformat(value[:10]), where)
    except (ValueError, ReadError):
        return None


def _canonical_or_capture(found: str | None, captured: str | None) -> str | None:
    """The page's canonical URL, unless it names only a site's home page for a deeper capture URL (a common
    misconfiguration that would make every article of the site one document)."""
    if not found:
        return captured
    if captured and urlsplit(found).path in ("", "/") and urlsplit(captured).path not in ("", "/"):
        return captured
    return found


def read_page(html: str | bytes, where: str, url: str | None = None) -> Page | None:
    """One HTML page as a Page (its own date, or none), or None when trafilatura finds no article in it."""
    try:
        found = extract(html, url)
    except Exception as exc:  # trafilatura and lxml on a page they cannot parse
        raise ReadError(f"{where}: the page cannot be read ({_why(exc)})") from exc
    if found is None or not found.text:
        return None
    title = found.title
    return Page(
        where=where, text=paragraphs(found.text, title), title=title,
        url=_canonical_or_capture(found.url, url), published=_page_date(found.date, where), published_from="page",
        source=found.sitename or None,
    )


def _file_bytes(path: str, limit: int) -> bytes:
    """The bytes of a file (a .gz one decompressed within read's budget), at most ``limit``."""
    chunks: list[bytes] = []
    size = 0
    try:
        for block in raw_blocks(path):
            size += len(block)
            if size > limit:
                raise ReadError(f"{path}: larger than {limit >> 20} MiB; file skipped")
            chunks.append(block)
    except StreamError as exc:
        raise ReadError(f"{path}: {exc}") from exc
    return b"".join(chunks)


def read_html(path: str, on_error: ErrorSink, default_date: dt.date | None = None,
              seen: Seen | None = None) -> Iterator[Document]:
    """A saved web page (.html, .htm, or .gz of them): its article, dated by its metadata, else ``default_date``."""
    seen = seen if seen is not None else Seen()
    page = read_page(_file_bytes(path, MAX_PAGE), path)
    if page is None:
        _no_text(seen, on_error, path, None, "none found")
        return
    doc = to_document(_dated(page, (default_date, "default")), seen, on_error)
    if doc is not None:
        yield doc


def fetched_page(html: str | bytes, item: Page, today: dt.date) -> Page | None:
    """A feed item's page, fetched (``dateline watch``): read like a saved page, with the item's link as its capture
    URL; dated by the page's metadata, else the item's date (``feed``), else the day it was fetched (``capture``);
    the item's title and site name where the page has none. None when the page holds under ``MIN_TEXT`` characters
    of article text (the caller may use the item's own text, ``item_document``)."""
    page = read_page(html, item.url or item.where, item.url)
    if page is None or len(normalize_text(page.text)) < MIN_TEXT:
        return None
    page = replace(page, title=page.title or item.title, source=page.source or item.source)
    return _dated(page, (item.published, "feed"), (today, "capture"))


def item_document(item: Page, default_date: dt.date | None, seen: Seen, on_error: ErrorSink) -> Document | None:
    """A feed item as a document from the feed's own text (``feed_pages``), dated by the item, else
    ``default_date``; None (counted in ``seen.skipped``) as ``to_document`` says."""
    return to_document(_dated(item, (default_date, "default")), seen, on_error)


# ---- WARC ----------------------------------------------------------------------------------------------------------

def _http_page(record) -> bytes | str | None:
    """The body of a WARC response record holding an HTML page served with HTTP 200 (decoded when the response names
    its charset), or None for any other record. Raises ``_Truncated`` when the record ends before its length."""
    try:
        if record.rec_type != "response" or record.http_headers is None:
            return None
        if record.http_headers.get_statuscode() != "200":
            return None
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
        mime = ctype.split(";")[0].strip()
        if mime and mime not in HTML_TYPES:
            return None
        body = record.content_stream().read(MAX_PAGE + 1)
    finally:
        _drain(record)
    if len(body) > MAX_PAGE or (not mime and not _HTML_HEAD.match(body[:1024])):
        return None
    charset = ctype.split("charset=", 1)[1].split(";")[0].strip(" \"'") if "charset=" in ctype else None
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return body


def _drain(record) -> None:
    """Read the rest of the record; ``_Truncated`` when the file ends before its Content-Length."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _Truncated


class _Truncated(Exception):
    """A WARC record whose body ends before its Content-Length: the file ends inside it."""


def _why(exc: Exception) -> str:
    """An exception as a short printable phrase (a library's message may quote the bytes it choked on)."""
    text = str(exc).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 120 else text[:117] + "..."


def _warc_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class _Gunzip(io.RawIOBase):
    """A .warc.gz file's bytes through Python's gzip, for warcio: a truncated or corrupt member stops with an error,
    where warcio's own decompression ends quietly (or takes an EOFError for the end of the archive). The bytes
    before the damage are delivered first, so the records before it are read."""

    def __init__(self, raw: BinaryIO) -> None:
        self.gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self.pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.gz.read1(size if size and size > 0 else 1 << 16)
        except EOFError:
            raise _Truncated from None
        except (OSError, zlib.error) as exc:
            raise _BadGzip(f"not a valid gzip file: {_why(exc)}") from exc
        self.pos += len(data)
        return data

    def tell(self) -> int:
        return self.pos


class _BadGzip(Exception):
    """A .warc.gz file whose compressed data is broken."""


def _unzipped(raw: BinaryIO, path: str):
    return _Gunzip(raw) if path.endswith(".gz") else contextlib.nullcontext(raw)


def read_warc(path: str, on_error: ErrorSink, default_date: dt.date | None = None,
              seen: Seen | None = None) -> Iterator[Document]:
    """The news pages of a WARC file (.warc, .warc.gz): each HTML response with status 200, dated by the page's
    metadata, else its capture time (WARC-Date), else ``default_date``. Records are numbered from 1 in the file;
    a broken or truncated record ends the file with an error naming it, the documents before it kept."""
    from warcio.archiveiterator import ArchiveIterator

    seen = seen if seen is not None else Seen()
    with open(path, "rb") as raw, _unzipped(raw, path) as fh:
        archive = ArchiveIterator(fh)
        archive.INC_RECORD = ""  # warcio's multi-line stderr warning on a bad Content-Length: the next record fails
        records = iter(archive)
        n = 0
        while True:
            n += 1
            where = f"{path}:{n}"
            try:
                record = next(records, None)
                if record is not None and not record.format.startswith("warc"):
                    raise ReadError(f"{where}: not a WARC record (an ARC file, or no web archive at all); "
                                    "only WARC files are read")
                body = None if record is None else _http_page(record)
            except ReadError:
                raise
            except _Truncated:
                raise ReadError(f"{where}: record truncated (the file ends inside it: a partial download?); "
                                "the rest of the file is skipped") from None
            except Exception as exc:  # warcio and gzip raise many kinds on a broken file (ArchiveLoadFailed, ...)
                raise ReadError(f"{where}: not a valid WARC record ({_why(exc)}); the rest of the file is skipped") \
                    from exc
            if record is None:
                return
            if body is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                page = read_page(body, where, url)
            except ReadError as exc:
                on_error(f"{exc}; page skipped")
                continue
            if page is None:
                _no_text(seen, on_error, where, url, "none found")
                continue
            captured = _warc_date(record.rec_headers.get_header("WARC-Date"))
            doc = to_document(_dated(page, (captured, "capture"), (default_date, "default")), seen, on_error)
            if doc is not None:
                yield doc


# ---- feeds ---------------------------------------------------------------------------------------------------------

def is_feed(head: bytes) -> bool:
    """True when the first bytes of a file look like an RSS or Atom feed (an ``<rss``, ``<feed`` or ``<rdf:RDF``
    root element)."""
    return bool(_FEED_HEAD.search(head[:4096]))


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment of a feed (an item's content or summary), paragraphs kept."""
    found = None
    if "<" in fragment:
        import trafilatura

        try:
            found = trafilatura.bare_extraction(f"<html><body><article>{fragment}</article></body></html>",
                                                include_comments=False, include_tables=False, fast=True)
        except Exception:  # a fragment trafilatura cannot parse: its plain text below
            found = None
    if found is not None and found.text:
        return paragraphs(found.text)
    if "<" in fragment:
        from lxml import html as lxml_html

        try:
            return paragraphs(lxml_html.fromstring(fragment).text_content())
        except Exception:  # lxml's parser errors (empty or broken fragments)
            return ""
    return paragraphs(fragment)


def _entry_text(entry) -> tuple[str, str]:
    """The item's article text and where it came from: its full content (content:encoded, Atom content) when that
    holds more than the summary, else the summary."""
    content = "\n".join(c.get("value", "") for c in entry.get("content") or [])
    summary = entry.get("summary") or ""
    content_text = _html_text(content) if content.strip() else ""
    summary_text = _html_text(summary) if summary.strip() and summary.strip() != content.strip() else ""
    if content_text and len(content_text) >= len(summary_text):
        return content_text, "content"
    return (summary_text or content_text), "summary"


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time) and YEARS[0] <= value.tm_year <= YEARS[1]:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def feed_pages(data: bytes, name: str) -> list[Page]:
    """The items of an RSS or Atom document as Pages, numbered from 1 (``where`` is ``name:N``): title, link, text
    (the full content when the item holds it, else the summary: ``extra["feed_text"]`` says which), the item's
    published/updated date (``published_from`` ``feed``) and the feed's title as the source. ReadError when the bytes
    are not a feed."""
    import feedparser

    if not is_feed(data):
        raise ReadError(f"{name}: not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)")
    parsed = feedparser.parse(data)  # bytes: feedparser never fetches anything
    if parsed.bozo and not parsed.entries:
        why = _why(parsed.get("bozo_exception") or ValueError("unreadable"))
        raise ReadError(f"{name}: not a readable RSS or Atom feed ({why})")
    site = parsed.feed.get("title") or None
    items = []
    for n, entry in enumerate(parsed.entries, 1):
        text, from_part = _entry_text(entry)
        items.append(Page(where=f"{name}:{n}", text=text, title=entry.get("title") or None,
                          url=entry.get("link") or None, published=_entry_date(entry), published_from="feed",
                          source=site, extra={"feed_text": from_part}))
    return items


def read_feed(path: str, on_error: ErrorSink, default_date: dt.date | None = None,
              seen: Seen | None = None) -> Iterator[Document]:
    """The items of an RSS or Atom file (.rss, .atom, .xml holding a feed, or .gz of them), as ``feed_pages`` reads
    them, dated by the item's published/updated date, else ``default_date``."""
    seen = seen if seen is not None else Seen()
    for item in feed_pages(_file_bytes(path, MAX_FEED), path):
        doc = item_document(item, default_date, seen, on_error)
        if doc is not None:
            yield doc
