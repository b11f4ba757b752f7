"""Web pages, WARC files and feeds (issue 20, the readers): every input built here, offline."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline import pages
from dateline import read as rd

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

SITE = "https://news.example.com"
NAV = "Weather and travel menu"
FOOTER = "All rights reserved by Northern Daily Media Group"
COMMENT = "What a waste of money, my street flooded twice"

ARTICLES = {
    "leeds": ("Minister visits Leeds to open flood defences", "2024-03-12", [
        "The environment minister visited Leeds on Tuesday to open a new flood defence scheme along the River Aire, "
        "promising further investment for towns across West Yorkshire that were hit by severe flooding last winter.",
        "Speaking to residents in Kirkstall, the minister said the government would spend another 40 million pounds "
        "on defences in the region over the next three years, and praised volunteers who had cleared homes.",
        "Local councillors welcomed the visit but said the money fell short of what was needed. The leader of Leeds "
        "City Council urged ministers to commit to a longer programme and to fund the maintenance of pumping stations.",
        "The minister is expected to travel to Bradford on Wednesday to meet business owners whose shops were "
        "damaged, before returning to London for a cabinet meeting later in the week.",
    ]),
    "nairobi": ("Foreign secretary meets Kenyan president in Nairobi", "2024-03-14", [
        "The foreign secretary met President William Ruto in Nairobi on Thursday to discuss trade, security in the "
        "Horn of Africa and a planned visit by a British business delegation later this year.",
        "Officials said the two men agreed to expand cooperation on counter-terrorism and to open talks on a new "
        "investment partnership, although no figures were announced after the meeting at State House.",
        "Kenyan opposition leaders criticised the talks, saying the government should focus on rising prices at "
        "home rather than courting foreign investors with promises of tax breaks.",
        "The foreign secretary will fly on to Addis Ababa on Friday for meetings at the African Union headquarters, "
        "the Foreign Office said in a statement.",
    ]),
    "warsaw": ("Thousands protest in Warsaw over farm imports", "2024-03-15", [
        "Thousands of farmers marched through central Warsaw on Friday to protest against imports of cheap grain, "
        "blocking roads with tractors and lighting flares outside the agriculture ministry.",
        "Police said the demonstration was largely peaceful, although several protesters were detained after "
        "scuffles near parliament, where lawmakers were debating new rules on agricultural trade.",
        "The agriculture minister told reporters he would meet union leaders next week and promised to press the "
        "European Commission for tighter controls at the border with Ukraine.",
        "Farm unions have threatened further blockades across the country if the government does not act before "
        "the start of the spring planting season.",
    ]),
}
GERMAN = ("Ministerin besucht Dresden", "2024-03-13", [
    "Die Umweltministerin hat am Dienstag Dresden besucht und neue Schutzanlagen gegen das Hochwasser an der Elbe "
    "eröffnet. Sie versprach weitere Investitionen für die Städte in Sachsen, die im vergangenen Winter betroffen waren.",
    "Vor Anwohnern sagte die Ministerin, die Regierung werde in den nächsten drei Jahren weitere vierzig Millionen Euro "
    "für den Hochwasserschutz in der Region ausgeben, und lobte die freiwilligen Helfer.",
    "Die Stadträte begrüßten den Besuch, erklärten aber, das Geld reiche nicht aus. Der Oberbürgermeister forderte ein "
    "längeres Programm und Mittel für die Wartung der bestehenden Deiche und Pumpwerke.",
])


def page_html(key: str, *, canonical: str | None = "default", dated: bool = True, amp: bool = False) -> str:
    """A news page: navigation, the article, a comment section and a footer; a canonical link and a published time
    in its metadata unless told otherwise."""
    title, day, paras = GERMAN if key == "german" else ARTICLES[key]
    if canonical == "default":
        canonical = f"{SITE}/2024/{key}"
    head = [f"<title>{title} | Northern Daily</title>", f'<meta property="og:title" content="{title}">',
            '<meta property="og:site_name" content="Northern Daily">']
    if dated:
        head.append(f'<meta property="article:published_time" content="{day}T09:30:00Z">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="{'de' if key == 'german' else 'en'}"{' amp' if amp else ''}><head><meta charset="utf-8">{''.join(head)}</head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">{NAV}</a></li></ul></nav></header>
<main><article><h1>{title}</h1>{body}</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>{COMMENT} and nobody came to help us.</p></div>
<div class="comment"><p>Finally some action from the government after years of waiting.</p></div></section></main>
<footer><p>Copyright 2024. {FOOTER}. Contact us | Privacy policy | Cookie settings</p></footer></body></html>"""


INDEX_PAGE = ("<!DOCTYPE html><html lang='en'><head><title>Politics | Northern Daily</title></head><body><nav>"
              "<a href='/'>Home</a> <a href='/politics'>Politics</a></nav><ul>"
              + "".join(f"<li><a href='/2024/{k}'>{t}</a></li>" for k, (t, _, _) in ARTICLES.items())
              + "</ul></body></html>")


def write_warc(path: Path, records: list[tuple], gz: bool = True) -> None:
    """A WARC file: a warcinfo record, then one response record per (url, body, status, content type, WARC-Date)."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "dateline tests"}))
        for url, body, status, ctype, captured in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            data = body.encode("utf-8") if isinstance(body, str) else body
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(data), http_headers=headers,
                warc_headers_dict={"WARC-Date": captured}))


HTML = "text/html; charset=utf-8"
CAPTURED = "2024-03-20T08:00:00Z"


def _read(paths, **kw) -> tuple[list, list[str], rd.ReadStats]:
    errors: list[str] = []
    stats = rd.ReadStats()
    docs = list(rd.read([str(p) for p in paths], on_error=errors.append, stats=stats, **kw))
    assert stats.documents == len(docs) and stats.errors == len(errors)
    return docs, errors, stats


def _essence(doc) -> tuple:
    return doc.id, doc.text, doc.title, doc.published, doc.url


@pytest.fixture()
def saved_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "leeds.html").write_text(page_html("leeds"), encoding="utf-8")
    (folder / "nairobi.htm").write_text(page_html("nairobi"), encoding="utf-8")
    with gzip.open(folder / "warsaw.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(page_html("warsaw"))
    return folder


# ---- canonical URLs ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("HTTPS://News.Example.COM/2024/leeds#comments", "https://news.example.com/2024/leeds"),
    ("https://news.example.com/2024/leeds?utm_source=twitter&utm_medium=social", "https://news.example.com/2024/leeds"),
    ("https://news.example.com/story?id=42&fbclid=abc&gclid=x&mc_cid=1&mc_eid=2&ref=home&cmpid=rss",
     "https://news.example.com/story?id=42"),
    ("https://news.example.com/2024/leeds/amp", "https://news.example.com/2024/leeds"),
    ("https://news.example.com/amp/2024/leeds", "https://news.example.com/2024/leeds"),
    ("https://news.example.com/2024/leeds?amp", "https://news.example.com/2024/leeds"),
    ("https://news.example.com/2024/leeds?amp=1&page=2", "https://news.example.com/2024/leeds?page=2"),
    ("https://news.example.com/2024/leeds.amp.html", "https://news.example.com/2024/leeds.html"),
    ("https://amp.example.com/world/2024/leeds", "https://www.example.com/world/2024/leeds"),
    ("https://news-example-com.cdn.ampproject.org/c/s/news.example.com/2024/leeds?amp",
     "https://news.example.com/2024/leeds"),
    ("https://www.google.com/amp/s/news.example.com/2024/leeds/amp", "https://news.example.com/2024/leeds"),
    ("http://news.example.com:80/a", "http://news.example.com/a"),
    ("https://news.example.com:8443/a", "https://news.example.com:8443/a"),
    ("https://news.example.com", "https://news.example.com/"),
    ("https://news.example.com/Caf%C3%A9/Story", "https://news.example.com/Caf%C3%A9/Story"),
    ("mailto:desk@example.com", "mailto:desk@example.com"),
    ("  not a url  ", "not a url"),
])
def test_canonical_url(url, expected):
    assert pages.canonical_url(url) == expected
    assert pages.canonical_url(expected) == expected  # idempotent


def test_url_id_is_stable_and_keyed_on_the_canonical_url():
    a = pages.url_id(pages.canonical_url("https://news.example.com/2024/leeds?utm_source=x"))
    b = pages.url_id(pages.canonical_url("https://NEWS.example.com/2024/leeds/amp#top"))
    assert a == b and a.startswith("u-") and len(a) == 18
    assert a != pages.url_id("https://news.example.com/2024/nairobi")


# ---- saved pages ---------------------------------------------------------------------------------------------------

def test_saved_page_gives_article_text_title_date_and_url(saved_pages):
    docs, errors, stats = _read([saved_pages / "leeds.html"])
    assert errors == [] and len(docs) == 1
    doc = docs[0]
    title, _, paras = ARTICLES["leeds"]
    assert doc.title == title
    assert doc.url == f"{SITE}/2024/leeds"
    assert doc.id == pages.url_id(doc.url)
    assert doc.published == dt.date(2024, 3, 12)
    assert doc.extra["published_from"] == "page"
    assert doc.source == "Northern Daily"
    assert doc.origin == str(saved_pages / "leeds.html")
    assert doc.text == "\n\n".join(paras)  # paragraphs kept, separated by a blank line; the headline is the title
    for boilerplate in (NAV, FOOTER, COMMENT, "Privacy policy", "Politics"):
        assert boilerplate not in doc.text


def test_folder_expands_to_pages_and_feeds(saved_pages):
    (saved_pages / "notes.xml").write_text("<config><a>1</a></config>", encoding="utf-8")
    (saved_pages / "feed.xml").write_text(RSS, encoding="utf-8")
    found = sorted(Path(p).name for p in rd.expand_paths([str(saved_pages)]))
    assert found == ["feed.xml", "leeds.html", "nairobi.htm", "warsaw.html.gz"]
    assert rd.count_documents([str(saved_pages / "leeds.html"), str(saved_pages / "nairobi.htm")]) == 2


def test_folder_of_pages_and_warc_of_the_same_pages_give_the_same_documents(saved_pages, tmp_path):
    folder_docs, errors, _ = _read([saved_pages])
    assert errors == [] and len(folder_docs) == 3
    records = [
        (f"{SITE}/2024/leeds?utm_source=rss", page_html("leeds"), "200 OK", HTML, CAPTURED),
        (f"{SITE}/2024/german", page_html("german"), "200 OK", HTML, CAPTURED),
        (f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), "200 OK", "image/png", CAPTURED),
        (f"{SITE}/2024/nairobi", page_html("nairobi"), "200 OK", "text/html", CAPTURED),
        (f"{SITE}/2024/missing", page_html("warsaw", canonical=None), "404 Not Found", HTML, CAPTURED),
        (f"{SITE}/2024/warsaw", page_html("warsaw"), "200 OK", "application/xhtml+xml", CAPTURED),
    ]
    for name, gz in (("crawl.warc", False), ("crawl.warc.gz", True)):
        warc = tmp_path / name
        write_warc(warc, records, gz=gz)
        warc_docs, errors, stats = _read([warc])
        assert errors == []
        by_id = {d.id: d for d in folder_docs}
        assert sorted(map(_essence, warc_docs)) == sorted(map(_essence, by_id.values()))
        assert {d.title for d in warc_docs} == {t for t, _, _ in ARTICLES.values()}
        assert all(d.extra["published_from"] == "page" for d in warc_docs)
        # records numbered from 1 in the file: the warcinfo record is 1, the first page 2
        assert [d.origin for d in warc_docs] == [f"{warc}:2", f"{warc}:5", f"{warc}:7"]
        assert stats.skipped == {pages.NON_ENGLISH: 1}
        assert rd.count_documents([str(warc)]) is None


def test_page_under_two_urls_is_read_once(tmp_path):
    amp = page_html("leeds", amp=True)
    plain_no_canonical = page_html("nairobi", canonical=None)
    syndicated = page_html("warsaw", canonical="https://partner.example.org/world/warsaw-farmers")
    records = [
        (f"{SITE}/2024/leeds", page_html("leeds"), "200 OK", HTML, CAPTURED),
        (f"{SITE}/2024/leeds/amp?utm_source=twitter&utm_campaign=x", amp, "200 OK", HTML, CAPTURED),
        (f"{SITE}/2024/nairobi?fbclid=123", plain_no_canonical, "200 OK", HTML, CAPTURED),
        ("https://NEWS.example.com/2024/nairobi?utm_medium=email#top", plain_no_canonical, "200 OK", HTML, CAPTURED),
        (f"{SITE}/2024/warsaw", page_html("warsaw"), "200 OK", HTML, CAPTURED),
        ("https://partner.example.org/world/warsaw-farmers", syndicated, "200 OK", HTML, CAPTURED),
    ]
    warc = tmp_path / "twice.warc.gz"
    write_warc(warc, records)
    docs, errors, stats = _read([warc])
    assert errors == []
    assert sorted(d.url for d in docs) == [f"{SITE}/2024/leeds", f"{SITE}/2024/nairobi", f"{SITE}/2024/warsaw"]
    assert stats.skipped == {pages.DUPLICATE: 3}
    assert stats.skipped_line() == "skipped 3 duplicate pages"
    # the same page saved as a file in another path of the same read is a repeat too
    saved = tmp_path / "leeds.html"
    saved.write_text(page_html("leeds", canonical=f"{SITE}/2024/leeds?utm_source=newsletter"), encoding="utf-8")
    docs, _, stats = _read([warc, saved])
    assert len(docs) == 3 and stats.skipped[pages.DUPLICATE] == 4


def test_non_english_page_is_skipped_and_counted(saved_pages):
    (saved_pages / "dresden.html").write_text(page_html("german"), encoding="utf-8")
    docs, errors, stats = _read([saved_pages])
    assert errors == []
    assert len(docs) == 3 and all("Dresden" not in d.text for d in docs)
    assert stats.skipped[pages.NON_ENGLISH] == 1
    assert stats.skipped_line() == "skipped 1 non-English page"
    assert pages.language(" ".join(GERMAN[2])) == "de"
    assert pages.language(" ".join(ARTICLES["leeds"][2])) == "en"


def test_date_falls_back_to_capture_time_then_to_the_default(tmp_path):
    undated = page_html("nairobi", dated=False)
    warc = tmp_path / "undated.warc"
    write_warc(warc, [(f"{SITE}/2024/nairobi", undated, "200 OK", HTML, "2024-03-20T23:59:59Z")], gz=False)
    docs, errors, _ = _read([warc], default_date=dt.date(2020, 1, 1))
    assert errors == [] and len(docs) == 1
    assert docs[0].published == dt.date(2024, 3, 20) and docs[0].extra["published_from"] == "capture"
    # the page's own date beats the capture time
    write_warc(warc, [(f"{SITE}/2024/nairobi", page_html("nairobi"), "200 OK", HTML, CAPTURED)], gz=False)
    docs, _, _ = _read([warc])
    assert docs[0].published == dt.date(2024, 3, 14) and docs[0].extra["published_from"] == "page"
    # a saved page without date metadata: the --date default, else no date and a notice naming the file
    saved = tmp_path / "undated.html"
    saved.write_text(undated, encoding="utf-8")
    docs, errors, _ = _read([saved], default_date=dt.date(2024, 3, 21))
    assert errors == [] and docs[0].published == dt.date(2024, 3, 21)
    assert docs[0].extra["published_from"] == "default"
    docs, errors, _ = _read([saved])
    assert docs[0].published is None and docs[0].extra["published_from"] == "none"
    assert len(errors) == 1 and errors[0].startswith(f"{saved}: no publication date")


def test_page_without_article_text_is_skipped_with_a_notice(tmp_path, saved_pages):
    index = saved_pages / "index.html"
    index.write_text(INDEX_PAGE, encoding="utf-8")
    docs, errors, stats = _read([saved_pages])
    assert len(docs) == 3
    assert len(errors) == 1 and errors[0].startswith(f"{index}: no article text") and "skipped" in errors[0]
    assert stats.skipped[pages.NO_TEXT] == 1
    warc = tmp_path / "index.warc.gz"
    write_warc(warc, [(f"{SITE}/politics", INDEX_PAGE, "200 OK", HTML, CAPTURED),
                      (f"{SITE}/2024/leeds", page_html("leeds"), "200 OK", HTML, CAPTURED)])
    docs, errors, stats = _read([warc])
    assert [d.url for d in docs] == [f"{SITE}/2024/leeds"]
    assert len(errors) == 1 and errors[0].startswith(f"{warc}:2: no article text")


def test_truncated_warc_gives_an_error_naming_the_file_and_keeps_the_documents_before(tmp_path):
    warc = tmp_path / "partial.warc.gz"
    write_warc(warc, [(f"{SITE}/2024/{k}", page_html(k), "200 OK", HTML, CAPTURED) for k in ARTICLES])
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) - 400])  # the download stopped inside the last record
    leeds = tmp_path / "leeds.html"
    leeds.write_text(page_html("leeds"), encoding="utf-8")
    other = tmp_path / "after.html"
    other.write_text(page_html("warsaw", canonical=f"{SITE}/2024/warsaw-saved"), encoding="utf-8")
    docs, errors, _ = _read([warc, other])
    assert [d.url for d in docs] == [f"{SITE}/2024/leeds", f"{SITE}/2024/nairobi", f"{SITE}/2024/warsaw-saved"]
    assert len(errors) == 1
    assert errors[0].startswith(f"{warc}:4: ") and "truncated" in errors[0], errors[0]
    # gzip garbage and a file that is no WARC at all: one line naming the file, nothing else read from it
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[:200] + b"\x00garbage" * 50)
    junk = tmp_path / "junk.warc"
    junk.write_text("this is not a web archive\n" * 5, encoding="utf-8")
    docs, errors, _ = _read([broken, junk, leeds])
    assert [d.url for d in docs] == [f"{SITE}/2024/leeds"]
    assert len(errors) == 2
    assert errors[0].startswith(f"{broken}:1: ") and errors[1].startswith(f"{junk}:1: not a WARC record")
    assert all("\n" not in e and "Traceback" not in e for e in errors)


# ---- feeds ---------------------------------------------------------------------------------------------------------

def _paras_html(key: str) -> str:
    return "".join(f"<p>{p}</p>" for p in ARTICLES[key][2])


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Northern Daily</title><link>{SITE}/</link><description>News</description>
<item><title>{ARTICLES['leeds'][0]}</title><link>{SITE}/2024/leeds?utm_source=rss</link>
<pubDate>Tue, 12 Mar 2024 09:30:00 GMT</pubDate><description>The minister visited Leeds.</description>
<content:encoded><![CDATA[{_paras_html('leeds')}]]></content:encoded></item>
<item><title>Short item</title><link>{SITE}/2024/short</link><pubDate>Wed, 13 Mar 2024 10:00:00 GMT</pubDate>
<description>A one-line summary.</description></item>
<item><title>{ARTICLES['warsaw'][0]}</title><link>{SITE}/2024/warsaw</link>
<description><![CDATA[{_paras_html('warsaw')}]]></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Northern Daily</title><id>{SITE}/</id>
<updated>2024-03-14T12:00:00Z</updated>
<entry><title>{ARTICLES['nairobi'][0]}</title><link href="{SITE}/amp/2024/nairobi"/><id>tag:n,1</id>
<published>2024-03-14T11:00:00Z</published><updated>2024-03-15T08:00:00Z</updated>
<summary>The foreign secretary met President Ruto.</summary>
<content type="html">{_paras_html('nairobi').replace('<', '&lt;').replace('>', '&gt;')}</content></entry>
<entry><title>{ARTICLES['leeds'][0]}</title><link href="{SITE}/2024/leeds"/><id>tag:n,2</id>
<updated>2024-03-12T10:00:00Z</updated><summary type="text">{' '.join(ARTICLES['leeds'][2])}</summary></entry>
</feed>"""


def test_rss_and_atom_items(tmp_path):
    rss = tmp_path / "news.rss"
    rss.write_text(RSS, encoding="utf-8")
    atom = tmp_path / "news.atom"
    atom.write_text(ATOM, encoding="utf-8")
    docs, errors, stats = _read([rss, atom], default_date=dt.date(2024, 3, 30))
    by_url = {d.url: d for d in docs}
    assert sorted(by_url) == [f"{SITE}/2024/leeds", f"{SITE}/2024/nairobi", f"{SITE}/2024/warsaw"]
    leeds, nairobi, warsaw = (by_url[f"{SITE}/2024/{k}"] for k in ("leeds", "nairobi", "warsaw"))
    assert leeds.text == "\n\n".join(ARTICLES["leeds"][2]) and leeds.title == ARTICLES["leeds"][0]
    assert leeds.published == dt.date(2024, 3, 12) and leeds.extra == {"published_from": "feed", "feed_text": "content"}
    assert leeds.origin == f"{rss}:1" and leeds.source == "Northern Daily"
    assert warsaw.extra == {"published_from": "default", "feed_text": "summary"}
    assert warsaw.published == dt.date(2024, 3, 30) and warsaw.origin == f"{rss}:3"
    assert nairobi.text == "\n\n".join(ARTICLES["nairobi"][2]) and nairobi.extra["feed_text"] == "content"
    assert nairobi.published == dt.date(2024, 3, 14) and nairobi.origin == f"{atom}:1"
    # the short item is skipped with a notice naming its record; the Atom repeat of the Leeds story is one document
    assert len(errors) == 1 and errors[0].startswith(f"{rss}:2: no article text")
    assert stats.skipped == {pages.NO_TEXT: 1, pages.DUPLICATE: 1}


def test_a_fetched_item_page_is_read_like_a_saved_page_with_the_item_as_fallback():
    """What ``dateline watch`` does with a feed item: its page when it holds the article, else the feed's text."""
    items = pages.feed_pages(RSS.encode("utf-8"), "https://news.example.com/feed.rss")
    assert [i.where for i in items] == [f"https://news.example.com/feed.rss:{n}" for n in (1, 2, 3)]
    leeds, short, warsaw = items
    assert leeds.url == f"{SITE}/2024/leeds?utm_source=rss" and leeds.published == dt.date(2024, 3, 12)
    # the page's own metadata wins; without it the item's date, then the day of the fetch
    page = pages.fetched_page(page_html("leeds"), leeds, dt.date(2024, 4, 1))
    assert page.published == dt.date(2024, 3, 12) and page.published_from == "page" and page.url == f"{SITE}/2024/leeds"
    undated = page_html("leeds", dated=False, canonical=None)
    page = pages.fetched_page(undated, leeds, dt.date(2024, 4, 1))
    assert (page.published, page.published_from) == (dt.date(2024, 3, 12), "feed")
    page = pages.fetched_page(page_html("warsaw", dated=False), warsaw, dt.date(2024, 4, 1))
    assert (page.published, page.published_from) == (dt.date(2024, 4, 1), "capture")
    seen, notes = pages.Seen(), []
    doc = pages.to_document(page, seen, notes.append)
    assert doc.url == f"{SITE}/2024/warsaw" and doc.text == "\n\n".join(ARTICLES["warsaw"][2]) and notes == []
    # an index page instead of the article: None, and the item's own text makes the document
    assert pages.fetched_page(INDEX_PAGE, leeds, dt.date(2024, 4, 1)) is None
    doc = pages.item_document(leeds, dt.date(2024, 4, 1), seen, notes.append)
    assert doc.url == f"{SITE}/2024/leeds" and doc.extra == {"published_from": "feed", "feed_text": "content"}
    assert pages.item_document(warsaw, dt.date(2024, 4, 1), seen, notes.append) is None  # the page was read already
    assert seen.skipped == {pages.DUPLICATE: 1} and leeds.published_from == "feed"  # items are not changed
    with pytest.raises(rd.ReadError, match="not an RSS or Atom feed"):
        pages.feed_pages(b"<html><body>Not found</body></html>", "https://news.example.com/feed")


def test_feed_errors_name_the_file(tmp_path):
    not_feed = tmp_path / "page.rss"
    not_feed.write_text("just some words, no XML at all", encoding="utf-8")
    plain = tmp_path / "notes.xml"
    plain.write_text("Protesters marched in Paris on Monday. " * 3, encoding="utf-8")
    docs, errors, _ = _read([not_feed, plain], default_date=dt.date(2024, 1, 3))
    assert len(errors) == 1 and errors[0].startswith(f"{not_feed}: not an RSS or Atom feed")
    assert len(docs) == 1 and docs[0].origin == f"{plain}:1"  # an .xml that is no feed reads as text, as before


# ---- any bytes -----------------------------------------------------------------------------------------------------

def _one_line_problems(path: Path, docs, errors) -> None:
    for msg in errors:
        assert msg.startswith(f"{path}") and "\n" not in msg and "Traceback" not in msg, msg
    for d in docs:
        assert d.text.strip() and 0 < len(d.id) <= 255
        json.dumps(d.extra)


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".html", ".htm.gz", ".warc", ".warc.gz", ".rss", ".xml"]))
def test_random_bytes_never_escape_the_page_readers(tmp_path, data, suffix):
    p = tmp_path / f"random{suffix}"
    p.write_bytes(data)
    docs, errors, _ = _read([p])
    _one_line_problems(p, docs, errors)


@FUZZ
@given(cut=st.integers(0, 10_000), flip=st.integers(0, 10_000), gz=st.booleans(), feed=st.booleans())
def test_a_warc_or_feed_cut_or_damaged_anywhere_reads_what_it_can(tmp_path, cut, flip, gz, feed):
    if feed:
        p = tmp_path / "cut.rss"
        data = bytearray(RSS.encode("utf-8"))
    else:
        p = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
        write_warc(p, [(f"{SITE}/2024/{k}", page_html(k), "200 OK", HTML, CAPTURED) for k in ARTICLES], gz=gz)
        data = bytearray(p.read_bytes())
    if data:
        data[flip % len(data)] ^= 0x20
    p.write_bytes(bytes(data[: cut % (len(data) + 1)]))
    docs, errors, _ = _read([p])
    _one_line_problems(p, docs, errors)
    assert len(docs) <= 3


# ---- the command line ----------------------------------------------------------------------------------------------

def test_annotate_shows_title_url_published_and_where_the_date_came_from(saved_pages, tmp_path, capsys):
    from dateline.cli import main

    (saved_pages / "dresden.html").write_text(page_html("german"), encoding="utf-8")
    warc = tmp_path / "undated.warc.gz"
    write_warc(warc, [(f"{SITE}/2024/nairobi-undated", page_html("nairobi", dated=False, canonical=None),
                       "200 OK", HTML, CAPTURED)])
    code = main(["annotate", str(saved_pages / "leeds.html"), str(saved_pages / "dresden.html"), str(warc),
                 "--profile", "rules"])
    out, err = capsys.readouterr()
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["title"], r["url"], r["published"], r["published_from"]) for r in rows] == [
        (ARTICLES["leeds"][0], f"{SITE}/2024/leeds", "2024-03-12", "page"),
        (ARTICLES["nairobi"][0], f"{SITE}/2024/nairobi-undated", "2024-03-20", "capture"),
    ]
    assert rows[0]["sentences"] and rows[0]["doc_id"] == pages.url_id(f"{SITE}/2024/leeds")
    assert "skipped 1 non-English page" in err.splitlines()


def test_a_changed_page_under_its_url_replaces_the_stored_version(tmp_path, capsys):
    """An updated article (same canonical URL, new text) is a new version: ingest replaces it and its events."""
    from dateline.cli import main
    from dateline.store import Store

    db = f"sqlite:///{tmp_path / 'p.db'}"
    page = tmp_path / "warsaw.html"
    page.write_text(page_html("warsaw"), encoding="utf-8")
    assert main(["ingest", str(page), "--db", db, "--profile", "rules"]) == 0
    updated = page_html("warsaw").replace("Thousands of farmers", "Tens of thousands of farmers")
    page.write_text(updated, encoding="utf-8")
    assert main(["ingest", str(page), "--db", db, "--profile", "rules"]) == 0
    assert "stored 1 new documents" in capsys.readouterr().err
    with Store(db) as st:
        assert st.summary()["documents"] == 1
        doc_id = pages.url_id(f"{SITE}/2024/warsaw")
        assert "Tens of thousands of farmers" in (st.document_text(doc_id) or "")
        assert all(s.startswith("Tens of") or "Thousands of farmers" not in s
                   for s in st.events(limit=None, groups=False)["sentence"])
