"""/sitemap.xml lists every public page with lastmod = the newest entry date the page shows
(never the build time); /robots.txt points at it; rebuilds are byte-identical."""

from __future__ import annotations

import shutil

import lxml.etree
import pytest
from tools.sites import ROOT, build_in_process, entry, read, tree_bytes

BASE = "http://127.0.0.1:8000"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def small_site() -> dict[str, str]:
    files = {
        f"content/briefings/e{i:02d}.md": entry(
            f"Trade {i:02d}", f"2024-03-{i + 1:02d}", countries="[India]", issues="[Trade]"
        )
        for i in range(21)
    }
    files.update(  # 30 more in January 2023: past the 50 items of a main page, 2023 gets a page of its own
        {
            f"content/briefings/old{i:02d}.md": entry(
                f"Old trade {i:02d}", f"2023-01-{i + 1:02d}", countries="[India]", issues="[Trade]"
            )
            for i in range(30)
        }
    )
    files.update(
        {
            "content/briefings/late.md": entry(
                "Late talks", "2025-06-12", countries="[India, China]", issues="[Border]"
            ),
            "content/briefings/draft.md": entry(
                "Draft talks", "2025-07-01", countries="[India, Japan]", status="draft"
            ),
            "content/issues/space.md": "---\nname: Space policy\n---\nNothing yet.\n",
        }
    )
    return files


@pytest.fixture(scope="module")
def built(site):
    built = site(small_site())
    assert built.ok, built.stderr
    return built.root


def sitemap(output) -> dict[str, str | None]:
    tree = lxml.etree.fromstring((output / "sitemap.xml").read_bytes())
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    urls = {}
    for node in tree.xpath("s:url", namespaces=NS):
        loc = node.findtext("s:loc", namespaces=NS)
        assert loc not in urls, f"{loc} listed twice"
        urls[loc] = node.findtext("s:lastmod", namespaces=NS)
    return urls


def file_for(output, loc: str):
    assert loc.startswith(BASE + "/"), loc
    path = loc[len(BASE) + 1 :]
    return output / (path + "index.html" if path.endswith("/") or not path else path)


def public_pages(output) -> set[str]:
    """Every HTML page in the output but drafts, the 404 page and the digests' email versions (the
    same digest again, for a mail program), as the URL the sitemap gives."""
    pages = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(("drafts/", "theme/")) or relative == "404.html" or relative.endswith("/email.html"):
            continue
        pages.add(BASE + "/" + relative.removesuffix("index.html"))
    return pages


def test_every_public_page_is_listed_and_every_listed_url_exists(built):
    output = built / "output"
    urls = sitemap(output)
    assert set(urls) == public_pages(output)
    assert all(file_for(output, loc).is_file() for loc in urls)
    assert not any("/drafts/" in loc or loc.endswith("404.html") for loc in urls)


def test_lastmod_is_the_newest_entry_date_each_page_shows(built):
    urls = sitemap(built / "output")
    expected = {
        "/": "2025-06-12",
        "/briefings/2025/late-talks/": "2025-06-12",
        "/briefings/2024/trade-05/": "2024-03-18",  # its newest related entry: trade-17, 12 places away in the Trade list
        "/briefings/2024/trade-20/": "2024-03-21",
        "/countries/india/": "2025-06-12",
        "/countries/china/": "2025-06-12",
        "/issues/trade/": "2024-03-21",
        "/issues/trade/2023/": "2023-01-30",  # the page of 2023 shows only 2023
        "/issues/space-policy/": None,  # shows no entry
        "/countries/": "2025-06-12",
        "/issues/": "2025-06-12",
        "/digests/2025-w24/": "2025-06-12",
        "/digests/2024-w09/": "2024-03-03",
        "/digests/": "2025-06-12",
        "/search/": None,
        "/data/": "2025-06-12",  # what the data files hold: everything, up to the build date
        "/calendar/": "2025-06-12",
    }
    assert {url: urls[BASE + url] for url in expected} == expected
    assert BASE + "/countries/japan/" not in urls  # named by the draft only


def test_robots_txt_points_at_the_sitemap(built):
    assert read(built / "output/robots.txt").splitlines() == [
        "User-agent: *",
        "Disallow: /drafts/",
        "Sitemap: http://127.0.0.1:8000/sitemap.xml",
    ]


def test_publish_settings_put_the_site_url_in_sitemap_and_robots(site):
    built = site(small_site(), SITEURL="https://briefs.example.org", FEED_DOMAIN="https://briefs.example.org")
    assert built.ok, built.stderr
    root = built.root
    tree = lxml.etree.fromstring((root / "output/sitemap.xml").read_bytes())
    assert all(loc.startswith("https://briefs.example.org/") for loc in tree.xpath("//s:loc/text()", namespaces=NS))
    assert read(root / "output/robots.txt").endswith("Sitemap: https://briefs.example.org/sitemap.xml\n")


def test_bundled_site_sitemap_lists_every_public_page(bundled_site):
    urls = sitemap(bundled_site)
    assert set(urls) == public_pages(bundled_site)
    assert len(urls) >= 100
    assert all(file_for(bundled_site, loc).is_file() for loc in urls)
    assert all(lastmod is None or lastmod <= "2025-12-31" for lastmod in urls.values())


@pytest.mark.slow
def test_bundled_site_rebuilds_byte_identical(bundled_site, tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    again = build_in_process(tmp_path)
    assert again.ok, again.stderr
    assert tree_bytes(again.output) == tree_bytes(bundled_site)
