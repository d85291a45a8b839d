"""Every Atom feed of the bundled site parses with a real feed parser (feedparser, no
'bozo' error), follows RFC 4287's required structure, and uses absolute links and ids."""

from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest
from lxml import etree, html

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_DOMAIN = "http://127.0.0.1:8000"  # pelicanconf.py: feeds need absolute URLs even locally
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def feeds(bundled_site):
    """{feed URL: bytes} of every feed the site publishes."""
    return {
        "/" + p.relative_to(bundled_site).as_posix(): p.read_bytes() for p in sorted(bundled_site.rglob("*.atom.xml"))
    }


def _one(element, tag):
    found = element.findall(ATOM + tag)
    assert len(found) == 1, f"{len(found)} <{tag}> in <{etree.QName(element).localname}>"
    return found[0]


def _instant(text: str) -> dt.datetime:
    assert RFC3339.match(text), text
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_one_feed_per_entity_page_plus_site_and_digest_feeds(bundled_site, feeds):
    entity_pages = [
        p for folder in ("countries", "officials", "issues") for p in (bundled_site / folder).glob("*/index.html")
    ]
    assert len(entity_pages) > 50
    relation_pages = list((bundled_site / "relations").glob("*/index.html"))
    assert len(relation_pages) > 5
    expected = {"/feeds/all.atom.xml", "/digests/feed.atom.xml", "/digests/monthly.atom.xml"} | {
        "/" + p.parent.relative_to(bundled_site).as_posix() + "/feed.atom.xml" for p in entity_pages + relation_pages
    }
    assert set(feeds) == expected


def test_every_feed_parses_with_feedparser_without_error(feeds):
    for url, data in feeds.items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", url
        assert parsed.feed.id == FEED_DOMAIN + url
        assert parsed.feed.updated_parsed is not None, url
        assert any(link.rel == "self" and link.href == FEED_DOMAIN + url for link in parsed.feed.links), url
        for item in parsed.entries:
            assert item.id.startswith(FEED_DOMAIN + "/"), (url, item.id)
            assert item.link.startswith(FEED_DOMAIN + "/"), (url, item.link)
            assert item.updated_parsed is not None, (url, item.id)
            assert item.title.strip(), (url, item.id)


def test_every_feed_has_the_structure_rfc_4287_requires(feeds):
    for url, data in feeds.items():
        feed = etree.fromstring(data)
        assert feed.tag == ATOM + "feed", url
        for tag in ("id", "title", "updated"):
            _one(feed, tag)
        assert _one(_one(feed, "author"), "name").text.strip()
        links = {(link.get("rel"), link.get("href")) for link in feed.findall(ATOM + "link")}
        assert ("self", FEED_DOMAIN + url) in links, url
        alternates = [href for rel, href in links if rel == "alternate"]
        assert len(alternates) == 1 and alternates[0].startswith(FEED_DOMAIN + "/"), url
        updated = _instant(_one(feed, "updated").text)
        ids, newest = [], []
        for item in feed.findall(ATOM + "entry"):
            ids.append(_one(item, "id").text)
            assert _one(item, "title").text.strip()
            entry_updated = _instant(_one(item, "updated").text)
            newest.append(entry_updated)
            published = item.find(ATOM + "published")
            if published is not None:
                assert _instant(published.text) <= entry_updated
            hrefs = [link.get("href") for link in item.findall(ATOM + "link") if link.get("rel") == "alternate"]
            assert len(hrefs) == 1 and hrefs[0] == ids[-1], (url, hrefs)
        assert len(ids) == len(set(ids)), f"{url}: repeated entry ids"
        assert newest == sorted(newest, reverse=True), f"{url}: entries not newest first"
        if newest:
            assert updated == max(newest), f"{url}: feed <updated> is not its newest entry's"


def test_feed_links_lead_to_pages_that_exist(bundled_site, feeds):
    for url, data in feeds.items():
        for link in etree.fromstring(data).iter(ATOM + "link"):
            if link.get("rel") == "self":
                continue
            path, _, anchor = link.get("href").removeprefix(FEED_DOMAIN).partition("#")
            page = bundled_site / path.lstrip("/") / "index.html"
            assert page.is_file(), (url, path)
            if anchor:  # a statement's link: its anchor on its entry's page
                assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), (url, anchor)


def test_site_feed_carries_each_entry_body_as_escaped_html(bundled_site, feeds):
    feed = etree.fromstring(feeds["/feeds/all.atom.xml"])
    items = feed.findall(ATOM + "entry")
    assert len(items) == 20  # BRIEFING feed_entries default
    for item in items:
        content = _one(item, "content")
        assert content.get("type") == "html"
        body = html.fragment_fromstring(content.text, create_parent="div")
        assert body.xpath("string()").strip(), "empty entry body"
        page = html.parse(str(bundled_site / _one(item, "id").text.removeprefix(FEED_DOMAIN + "/") / "index.html"))
        title = page.find(".//h1").text_content()
        assert _one(item, "title").text == title


def test_every_entity_page_announces_its_feed(bundled_site, feeds):
    for url in feeds:
        if url in ("/feeds/all.atom.xml", "/digests/feed.atom.xml", "/digests/monthly.atom.xml"):
            continue
        page = html.parse(str(bundled_site / url.lstrip("/").removesuffix("feed.atom.xml") / "index.html"))
        announced = page.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert url in announced, url
