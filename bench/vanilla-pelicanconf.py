# Settings for the vanilla-Pelican baseline of `make bench`: Pelican 4.12's defaults (the
# notmyidea theme, Python-Markdown, its default Atom and RSS feeds), plus only what valid
# feeds and a fair comparison need: a site URL, a time zone, 20 entries a page.
AUTHOR = "Briefings Desk"
SITENAME = "Briefing Digests (bench)"
SITEURL = "https://briefings.example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
