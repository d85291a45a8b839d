"""Digests ready for email (issue 20, item 4): every weekly and monthly digest also as
`email.html` (one self-contained file: inline CSS, a 600 px table, absolute links, no script,
nothing fetched) and `email.txt`; `briefing digest-email <period>` prints the path."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from tools.cli import briefing
from tools.open_site import FILES
from tools.sites import read

BASE = "http://127.0.0.1:8000"
WEEK = "digests/2025-w25/"


@pytest.fixture(scope="module")
def built(open_site):
    return open_site


@pytest.fixture(scope="module")
def out(open_site):
    return open_site.output


def emails(out: Path) -> list[Path]:
    return sorted(out.glob("digests/*/email.html"))


def test_every_digest_has_an_email_version_and_a_text_twin(out):
    digests = sorted(p.parent for p in out.glob("digests/*/index.html"))
    assert len(digests) == 9  # 5 weeks and 4 months
    assert [p.parent for p in emails(out)] == digests
    assert all((folder / "email.txt").is_file() for folder in digests)
    assert 'href="/digests/2025-w25/email.html"' in read(out / WEEK / "index.html")


def test_an_email_has_no_script_no_stylesheet_and_loads_nothing(out):
    for path in emails(out):
        page = lxml.html.fromstring(read(path))
        assert not page.xpath("//script | //style | //link[@rel='stylesheet'] | //img | //iframe | //*[@src]"), path
        assert not [a for el in page.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]


def test_every_link_in_an_email_is_absolute(out):
    for path in emails(out):
        page = lxml.html.fromstring(read(path))
        links = page.xpath("//@href")
        assert links, path
        assert all(urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc for link in links), path


def test_an_email_is_a_600_pixel_table_styled_inline(out):
    page = lxml.html.fromstring(read(out / WEEK / "email.html"))
    (inner,) = [t for t in page.xpath("//table") if "max-width:600px" in t.get("style", "")]
    assert inner.get("role") == "presentation"
    assert all(element.get("style") for element in page.xpath("//h1 | //h2 | //h3 | //p | //a"))
    assert page.xpath("//h1/text()") == ["Magnets and tariffs"]
    assert page.xpath("//link[@rel='canonical']/@href") == [f"{BASE}/digests/2025-w25/"]


def test_an_editor_s_summary_gets_absolute_links_and_no_image(out):
    page = lxml.html.fromstring(read(out / WEEK / "email.html"))
    summary = page.xpath("//p[contains(., 'A week of')]")[0]
    assert " ".join(summary.text_content().split()) == "A week of trade talk and a picture map."
    assert summary.xpath("a/@href") == [f"{BASE}/issues/trade/"]


def test_each_entry_in_an_email_has_its_date_and_first_names(out):
    page = lxml.html.fromstring(read(out / WEEK / "email.html"))
    [meta] = [p.text_content() for p in page.iter("p") if p.text_content().startswith("20 June 2025")]
    assert meta == "20 June 2025 · India, United States"


def test_the_text_twin_reads_as_the_digest(out):
    assert read(out / WEEK / "email.txt") == (
        "Briefing Digest: Weekly digest\n"
        "\n"
        "Magnets and tariffs\n"
        "Week 25, 2025: 16 June 2025 to 22 June 2025\n"
        "1 entry\n"
        "\n"
        "- India asks China about magnets.\n"
        "\n"
        f"A week of trade talk ({BASE}/issues/trade/) and a picture\n"
        "map.\n"
        "\n"
        "== Trade ==\n"
        "\n"
        "Trade with the US\n"
        "20 June 2025\n"
        "Body text.\n"
        f"{BASE}/briefings/2025/trade-with-the-us/\n"
        "\n"
        "--\n"
        f"Read this digest on the web: {BASE}/digests/2025-w25/\n"
        f"All digests: {BASE}/digests/\n"
    )
    month = read(out / "digests/2025-06/email.txt")
    assert "== Events this month ==\n\n- June 2025: Trade talks go on through June\n" in month
    assert all(len(line) <= 72 or line.strip().startswith("http") for line in month.splitlines())


def test_emails_use_the_published_address(site):
    built = site(FILES, SITEURL="https://briefs.example.org", FEED_DOMAIN="https://briefs.example.org")
    assert built.ok, built.stderr
    links = lxml.html.fromstring(built.text(WEEK + "email.html")).xpath("//@href")
    assert links and all(link.startswith("https://briefs.example.org/") for link in links)
    assert "https://briefs.example.org/briefings/2025/trade-with-the-us/" in built.text(WEEK + "email.txt")


def test_digest_email_prints_the_path_of_a_built_digest(built):
    assert briefing("digest-email", "2025-w25", cwd=built.root).stdout == "output/digests/2025-w25/email.html\n"
    assert briefing("digest-email", "2025-W25", "--text", cwd=built.root).stdout == (
        "output/digests/2025-w25/email.txt\n"
    )
    assert briefing("digest-email", "latest", cwd=built.root).stdout == "output/digests/2025-w25/email.html\n"
    assert briefing("digest-email", "latest-month", cwd=built.root).stdout == "output/digests/2025-06/email.html\n"


def test_digest_email_says_what_is_wrong_in_one_line(built, tmp_path):
    unknown = briefing("digest-email", "2025-w30", cwd=built.root)
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert unknown.stderr == (
        "briefing digest-email: error: no digest '2025-w30' in output/: write a week (2025-w45), "
        "a month (2025-11), latest or latest-month; the newest are 2025-w25 and 2025-06\n"
    )
    empty = briefing("digest-email", "latest", cwd=tmp_path)
    assert (empty.returncode, empty.stderr) == (
        1,
        "briefing digest-email: error: output/ holds no built site: run `make html` "
        "(or `make publish`, for the published addresses)\n",
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [600, 375])
def test_an_email_renders_in_chromium_without_any_request(chromium, built, width):
    """Opened as a mail program would (a file, no site around it): nothing else is requested,
    the 600 px column fits, and on a phone nothing overflows sideways."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    path = built.output / WEEK / "email.html"
    tab.goto(path.as_uri(), wait_until="load")
    assert requests == [path.as_uri()]
    sizes = tab.evaluate(
        """() => {
          const column = [...document.querySelectorAll('table')].find(t => t.style.maxWidth === '600px');
          return {scroll: document.documentElement.scrollWidth, column: column.getBoundingClientRect().width,
                  heading: getComputedStyle(document.querySelector('h1')).fontFamily};
        }"""
    )
    context.close()
    assert sizes["scroll"] <= width
    assert sizes["column"] == width  # 600 px wide, or the whole width of a narrower screen
    assert re.match(r"Georgia", sizes["heading"])


@pytest.mark.browser
def test_the_bundled_latest_weekly_email_renders_at_600_px_with_no_request_elsewhere(chromium, bundled_site):
    weeks = sorted(p.parent.name for p in bundled_site.glob("digests/*-w*/email.html"))
    path = bundled_site / "digests" / weeks[-1] / "email.html"
    context = chromium.new_context(viewport={"width": 600, "height": 900})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(path.as_uri(), wait_until="load")
    assert requests == [path.as_uri()]
    assert tab.evaluate("document.documentElement.scrollWidth") <= 600
    assert tab.locator("h1").inner_text()
    context.close()
