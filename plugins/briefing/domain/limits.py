"""Every bound on editor input, in one place: the work of a build is bounded by design.

docs/EDITING.md ("Limits") lists each with its message; past a limit is an error at its line.
"""

MAX_FILE_BYTES = 2 * 1024 * 1024  # a content file, front matter and body
MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_NESTING = 32  # YAML block or flow nesting
MAX_EVENTS_PER_ENTRY = 200  # items of an entry's `events:`
MAX_STATEMENTS_PER_ENTRY = 200  # items of an entry's `statements:`
MAX_STATUS_ITEMS = 200  # items of a profile's `status:`
