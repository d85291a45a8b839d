"""Name keys, slugs and near-miss suggestions shared by the registry and the schema."""

from __future__ import annotations

import functools
import re
import unicodedata

from slugify import slugify as _slugify

from .nearmiss import closest

_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u2018": None, "`": None})
_SPACES = re.compile(r"\s+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The form names are matched by: case, diacritics, apostrophes and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.translate(_APOSTROPHES).replace("\u2010", "-").replace("\u2013", "-")
    return _SPACES.sub(" ", bare).strip().casefold()


MAX_SLUG_LENGTH = 120  # a slug is a folder name: file systems stop at 255 bytes (a--b relations: 242)


def slugify(text: str) -> str:
    """Lowercase ASCII with hyphens, transliterated: `Côte d'Ivoire` -> `cote-divoire`;
    cut at a word boundary to MAX_SLUG_LENGTH, so a long title cannot break the build."""
    return _slugify(
        text.translate(_APOSTROPHES), lowercase=True, separator="-", max_length=MAX_SLUG_LENGTH, word_boundary=True
    )


def is_slug(text: str) -> bool:
    return len(text) <= MAX_SLUG_LENGTH and bool(SLUG_PATTERN.match(text))


def did_you_mean(word: str, candidates, *, key=None, cutoff: float = 0.75) -> str:
    """' (did you mean 'X'?)' for a near miss, else ''. `key` maps a candidate to its spelling."""
    keyed = {(key(c) if key else c): c for c in candidates}
    match = closest(word if key is None else key(word), keyed, cutoff=cutoff)
    return f" (did you mean '{keyed[match]}'?)" if match is not None else ""
