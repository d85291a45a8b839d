"""Pelican settings for building Briefing Digest locally (`make html`, `make serve`)."""

SITENAME = "Briefing Digest"
SITE_DESCRIPTION = "Who did what, where and when: curated foreign-policy briefings, cross-linked."
SITEURL = ""  # links are root-relative for local preview; publishconf.py sets the real URL
FEED_DOMAIN = "http://127.0.0.1:8000"  # feeds need absolute URLs even in a local build
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PATH = "content"
THEME = "themes/briefing"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["briefing"]

# Entries, profiles and every page are handled by the briefing plugin; Pelican's own
# article/page machinery and its default feeds and templates are switched off.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
ARTICLE_SAVE_AS = ""
PAGE_SAVE_AS = ""
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False  # the plugin builds into a fresh folder and swaps it in

JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

BRIEFING = {
    "relations_min_entries": 2,
    "link_mentions": True,
    # the licence and attribution line of every open-data file (/data/, each page's timeline
    # files, calendars); {site} and {url} become SITENAME and the home page's address
    "data_licence": (
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): free to share and adapt, "
        "with attribution to {site} ({url})"
    ),
}
