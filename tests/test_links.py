"""Every internal link of the built bundled site resolves to a file, and every public page is
reachable by following links from the home page (entities from their kind index, entries from
their entity pages and their digest)."""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

SITE_ORIGIN = "http://127.0.0.1:8000"  # FEED_DOMAIN of pelicanconf.py: canonical links use it
LINK_ATTRIBUTES = ("href", "src", "action")


def target_file(root: Path, url: str) -> Path:
    """The file a root-relative URL is served from (a folder serves its index.html)."""
    path = unquote(urlsplit(url).path)
    return root / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


def page_url(root: Path, path: Path) -> str:
    relative = path.relative_to(root).as_posix()
    return "/" + relative.removesuffix("index.html")


@pytest.fixture(scope="module")
def links(bundled_site) -> dict[str, list[tuple[str, str]]]:
    """{page URL: [(attribute, value), ...]} for every HTML page of the bundled site."""
    found = {}
    for path in sorted(bundled_site.rglob("*.html")):
        document = lxml.html.fromstring(path.read_bytes())
        found[page_url(bundled_site, path)] = [
            (attribute, element.get(attribute))
            for element in document.iter()
            for attribute in LINK_ATTRIBUTES
            if element.get(attribute) is not None
        ]
    return found


def internal(value: str) -> str | None:
    """The root-relative form of a link to this site, or None for another host or an anchor."""
    if value.startswith(SITE_ORIGIN + "/"):
        return value[len(SITE_ORIGIN) :]
    if value.startswith("/") and not value.startswith("//"):
        return value
    return None


def test_the_crawl_sees_every_kind_of_page(links):
    prefixes = {"/", "/briefings/", "/countries/", "/officials/", "/issues/", "/relations/", "/digests/", "/search/"}
    assert all(any(url.startswith(p) for url in links) for p in prefixes)
    assert sum(len(v) for v in links.values()) > 5000


def test_every_internal_link_resolves_to_a_file(bundled_site, links):
    broken = defaultdict(list)
    for page, found in links.items():
        for _attribute, value in found:
            url = internal(value)
            if url is not None and not target_file(bundled_site, url).is_file():
                broken[url].append(page)
    assert dict(broken) == {}


def test_links_are_root_relative_anchors_or_absolute(links):
    """No page-relative links: they would break between /x/ and /x/page/2/."""
    relative = {
        (page, value)
        for page, found in links.items()
        for _, value in found
        if not value.startswith(("/", "#", "http://", "https://", "mailto:", "webcal://"))
    }
    assert relative == set()


def test_no_request_to_another_host(links):
    """Stylesheets, scripts and images come from this site only (links to sources may go elsewhere)."""
    foreign = set()
    for page, found in links.items():
        document_links = [value for attribute, value in found if attribute == "src"]
        foreign |= {(page, v) for v in document_links if internal(v) is None}
    assert foreign == set()


def linked_from(links, page: str) -> set[str]:
    return {urlsplit(internal(v)).path for _, v in links[page] if internal(v) is not None}


def test_every_public_page_is_reachable_from_home(bundled_site, links):
    seen, queue = {"/"}, deque(["/"])
    while queue:
        for url in linked_from(links, queue.popleft()):
            if url in links and url not in seen:
                seen.add(url)
                queue.append(url)
    public = {url for url in links if not url.startswith(("/drafts/", "/404.html"))}
    assert public - seen == set()


def test_every_entity_page_is_linked_from_its_kind_index(bundled_site, links):
    for kind in ("countries", "officials", "issues"):
        pages = {url for url in links if url.startswith(f"/{kind}/") and url.count("/") == 3}
        assert pages, kind
        assert pages - linked_from(links, f"/{kind}/") == set(), kind


def test_every_entry_is_linked_from_an_entity_page_and_from_its_digest(bundled_site, links):
    entries = {url for url in links if url.startswith("/briefings/")}
    assert len(entries) >= 30
    from_entities = set().union(
        *(linked_from(links, url) for url in links if url.startswith(("/countries/", "/officials/", "/issues/")))
    )
    assert entries - from_entities == set()
    digests = [url for url in links if url.startswith("/digests/") and url != "/digests/"]
    pages = [url for url in digests if not url.endswith("/email.html")]  # email versions: linked from their digest
    from_digests = set().union(*(linked_from(links, url) for url in pages))
    assert entries - from_digests == set()
    assert set(pages) - linked_from(links, "/digests/") == set()
    assert {url for url in digests if url.endswith("/email.html")} == {url + "email.html" for url in pages}
    assert all(url + "email.html" in linked_from(links, url) for url in pages)


def test_every_relation_is_linked_from_both_countries_and_the_index(bundled_site, links):
    relations = [url for url in links if url.startswith("/relations/") and url.count("/") == 3]
    assert relations
    for url in relations:
        a, b = url.split("/")[2].split("--")
        assert url in linked_from(links, f"/countries/{a}/"), url
        assert url in linked_from(links, f"/countries/{b}/"), url
        assert url in linked_from(links, "/relations/"), url


# --- anchors and the sitemap (issue 10) ---

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def ids(bundled_site) -> dict[str, set[str]]:
    """{page URL: every id (and <a name>) in it}: the targets a #fragment can reach."""
    found = {}
    for path in sorted(bundled_site.rglob("*.html")):
        document = lxml.html.fromstring(path.read_bytes())
        found[page_url(bundled_site, path)] = set(document.xpath("//@id")) | set(document.xpath("//a/@name"))
    return found


def missing_anchors(links, ids) -> list[str]:
    """'page -> link' for every #fragment link whose target page has no such id."""
    missing = []
    for page, found in links.items():
        for attribute, value in found:
            if attribute != "href" or "#" not in value:
                continue
            target, fragment = value.split("#", 1)
            target = page if target == "" else internal(target)
            if target is not None and fragment and unquote(fragment) not in ids.get(urlsplit(target).path, set()):
                missing.append(f"{page} -> {value}")
    return missing


def test_every_anchor_points_at_an_element(links, ids):
    anchors = sum(1 for found in links.values() for attribute, value in found if attribute == "href" and "#" in value)
    assert anchors >= 150  # a skip link on every page, letter jumps on the indexes, footnotes
    assert missing_anchors(links, ids) == []


def test_a_missing_anchor_is_found():
    """The anchor check can fail."""
    links = {"/": [("href", "#main"), ("href", "/a/#gone")], "/a/": [("href", "/#main")]}
    assert missing_anchors(links, {"/": {"main"}, "/a/": {"here"}}) == ["/ -> /a/#gone"]


def test_sitemap_lists_exactly_the_public_pages(bundled_site, links):
    """Every page in the sitemap exists and is reached from home (test above); every public page is in it."""
    import lxml.etree

    locations = [loc.text for loc in lxml.etree.parse(str(bundled_site / "sitemap.xml")).iter(SITEMAP_NS + "loc")]
    assert all(loc.startswith(SITE_ORIGIN + "/") for loc in locations)
    listed = [loc[len(SITE_ORIGIN) :] for loc in locations]
    assert len(listed) == len(set(listed))
    public = {url for url in links if not url.startswith(("/drafts/", "/404.html")) and not url.endswith("/email.html")}
    assert set(listed) == public
    assert {"/data/", "/calendar/"} <= public
    assert (bundled_site / "robots.txt").read_text(encoding="utf-8").count(f"Sitemap: {SITE_ORIGIN}/sitemap.xml") == 1
