"""Every bound on editor input, in one place: the work of a build is bounded by design.

docs/EDITING.md ("Limits") lists each with its message; past a limit is an error at its line.
docs/DESIGN.md ("Decisions and departures", the "Limits" row) says what each bound protects.
"""

MAX_FILE_BYTES = 2 * 1024 * 1024  # a content file, front matter and body (so a body is at most this)
MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_NESTING = 32  # YAML block or flow nesting

MAX_NAMES_PER_LIST = 200  # countries, officials, issues, aliases; an event's lists; a statement's `on`
MAX_EVENTS_PER_ENTRY = 200
MAX_STATEMENTS_PER_ENTRY = 200  # items of an entry's `statements:`
MAX_STATUS_ITEMS = 200  # items of a profile's `status:`
MAX_HIGHLIGHTS = 10  # items of a digest summary's `highlights:`
MIN_YEAR, MAX_YEAR = 1800, 2200  # every date an editor writes: entries, events, roles

# Relations: an entry makes country pairs only among its first RELATION_COUNTRIES countries
# (at most 28 pairs), so one entry naming every country cannot make 30,000 relation pages.
RELATION_COUNTRIES = 8

# Near-miss hints ("did you mean"): each unknown name is one index look-up; past this many in
# one file the rest are reported without a hint (the list is wrong as a whole, not one name).
MAX_HINTS_PER_FILE = 50

# An event's or statement's names and reporting entries, and a digest's entries in its feed, show
# the first CARD_NAMES, then "N more": an entry naming 600 entities lists on 600 pages.
CARD_NAMES = 12

# A card shows at most CARD_CHIPS names as chips (one of each kind first), then "+N".
CARD_CHIPS = 5

# An entry in a digest's email names its first EMAIL_NAMES countries and officials.
EMAIL_NAMES = 6

# An official's or an issue's page gives its newest LD_STATEMENTS statements in its JSON-LD.
LD_STATEMENTS = 20
