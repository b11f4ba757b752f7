"""Articles that report one incident are linked by the rare names they share (dateline.incidents, the store)."""

from __future__ import annotations

import datetime as dt

from dateline import incidents
from dateline.incidents import Article


def _a(i: str, day: str, *names: str) -> Article:
    return Article(i, day, frozenset(names))


def _link(arts: list[Article], n_docs: int = 1000) -> dict[str, str]:
    return incidents.link(arts, incidents.document_frequencies(arts), n_docs)


def test_two_rare_names_in_common_within_the_window_make_one_incident():
    arts = [_a("a", "2014-08-25", "p:brady", "p:osborne", "g:sterling"),
            _a("b", "2014-08-26", "p:brady", "p:osborne", "g:rock falls"),
            _a("c", "2014-08-26", "p:brady", "g:dixon")]  # one shared name is not enough
    got = _link(arts)
    assert got["a"] == got["b"] == "a" and got["c"] == "c"


def test_the_window_and_common_names_keep_incidents_apart():
    far = [_a("a", "2014-01-01", "p:jo", "p:smith"), _a("b", "2014-06-01", "p:jo", "p:smith")]
    assert len(set(_link(far).values())) == 2  # five months apart
    common = [_a(f"d{k}", "2014-01-01", "g:chicago", "p:police") for k in range(40)]  # in 4 % of 1,000 documents
    assert len(set(_link(common).values())) == 40


def test_incremental_edges_only_touch_fresh_articles_and_merge_known_incidents():
    arts = [_a("a", "2015-03-01", "p:x1", "p:y1"), _a("b", "2015-03-02", "p:x1", "p:y1"),
            _a("c", "2015-03-03", "p:x1", "p:y1")]
    df = incidents.document_frequencies(arts)
    assert incidents.edges(arts, df, 1000, fresh={"c"}) == [("a", "c"), ("b", "c")]
    merged = incidents.components(["b", "c"], [("b", "c")], current={"b": "a", "c": "c"})
    assert merged == {"b": "a", "c": "a"}


def test_the_store_links_reports_of_one_shooting(tmp_path):
    from dateline import open as open_store
    from dateline.model import Document
    from dateline.pipeline import Pipeline

    texts = [
        ("s1", dt.date(2014, 8, 25), "Police said Jaylen Carter, 17, was shot and killed in Rockford on Sunday night."),
        ("s2", dt.date(2014, 8, 26), "Friends remembered Jaylen Carter on Monday, a day after police said a gunman "
                                     "shot him dead outside a Rockford gas station."),
        ("s3", dt.date(2014, 8, 26), "A man was arrested after a robbery at a bank in Peoria on Monday, police said."),
    ]
    pipe = Pipeline("fast")
    anns = list(pipe.annotate([Document(id=i, text=t, published=d) for i, d, t in texts]))
    store = open_store(f"sqlite:///{tmp_path / 'inc.db'}", create=True)
    for ann in anns:  # one at a time: linking is incremental
        store.add([ann])
    both = store.incident("s1")
    assert both is not None and [d["id"] for d in both["documents"]] == ["s1", "s2"]
    assert both["reports"] == 2 and both["first_report"] == "2014-08-25"
    assert [d["id"] for d in store.incident("s3")["documents"]] == ["s3"]
    assert store.incident("nope") is None
