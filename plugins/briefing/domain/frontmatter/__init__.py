"""Front matter: read a content file's bytes into a checked draft with located diagnostics.

source (decode, split, compose) -> fields (typed reading of nodes) -> entry / profile schemas.
"""

from .editorial import DIGEST_SUMMARY_KEYS, SITE_PAGE_KEYS
from .entry import ENTRY_KEYS, OFFICIAL_KEYS, parse_entry, read_entry
from .profile import PROFILE_KEYS, ROLE_KEYS, parse_profile, profile_kind, read_profile
from .reports import EVENT_KEYS, SOURCE_KEYS, STATEMENT_KEYS
from .source import MAX_FILE_BYTES, Loader, decode, split
from .status import RELATION_KEYS, STATUS_KEYS, parse_relation_profile

__all__ = [
    "DIGEST_SUMMARY_KEYS",
    "ENTRY_KEYS",
    "EVENT_KEYS",
    "MAX_FILE_BYTES",
    "OFFICIAL_KEYS",
    "PROFILE_KEYS",
    "RELATION_KEYS",
    "ROLE_KEYS",
    "SITE_PAGE_KEYS",
    "SOURCE_KEYS",
    "STATEMENT_KEYS",
    "STATUS_KEYS",
    "Loader",
    "decode",
    "parse_entry",
    "parse_profile",
    "parse_relation_profile",
    "profile_kind",
    "read_entry",
    "read_profile",
    "split",
]
