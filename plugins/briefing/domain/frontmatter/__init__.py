"""Front matter: read a content file's bytes into a checked draft with located diagnostics.

source (decode, split, compose) -> fields (typed reading of nodes) -> entry / profile schemas.
"""

from .entry import ENTRY_KEYS, EVENT_KEYS, OFFICIAL_KEYS, SOURCE_KEYS, parse_entry, read_entry
from .profile import PROFILE_KEYS, ROLE_KEYS, parse_profile, profile_kind, read_profile
from .source import MAX_FILE_BYTES, Loader, decode, split

__all__ = [
    "ENTRY_KEYS",
    "EVENT_KEYS",
    "MAX_FILE_BYTES",
    "OFFICIAL_KEYS",
    "PROFILE_KEYS",
    "ROLE_KEYS",
    "SOURCE_KEYS",
    "Loader",
    "decode",
    "parse_entry",
    "parse_profile",
    "profile_kind",
    "read_entry",
    "read_profile",
    "split",
]
