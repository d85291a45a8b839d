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
# Text python-slugify turns into lower case with each run of other characters a hyphen: ASCII
# letters, digits, spaces and punctuation that is not a quote, an entity's `&` or a comma
# between digits (which it drops): the slug is made here, in C, at a tenth of its cost.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 ,.:;!?()/-]*")
_QUOTES = tuple(chr(c) for c in _APOSTROPHES)
_SPACE_BUT_SLUG = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))  # a-z0-9 kept
_DIGITS_COMMA = re.compile(r"(?<=\d),(?=\d)")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The form names are matched by: case, diacritics, apostrophes and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.translate(_APOSTROPHES).replace("\u2010", "-").replace("\u2013", "-")
    return _SPACES.sub(" ", bare).strip().casefold()


MAX_SLUG_LENGTH = 120  # a slug is a folder name: file systems stop at 255 bytes (a--b relations: 242)


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Lowercase ASCII with hyphens, transliterated: `Côte d'Ivoire` -> `cote-divoire`;
    cut at a word boundary to MAX_SLUG_LENGTH, so a long title cannot break the build.
    Remembered: an event told by several entries is written the same way in each (that is
    how they merge), and names recur (python-slugify takes about 8 us a text; most texts
    take the plain way, _PLAIN_TEXT)."""
    if any(quote in text for quote in _QUOTES):  # (a translation by dict costs 2 us a title)
        text = text.translate(_APOSTROPHES)
    if _PLAIN_TEXT.fullmatch(text):
        lowered = (_DIGITS_COMMA.sub("", text) if "," in text else text).lower().encode("ascii")
        slug = "-".join(lowered.translate(_SPACE_BUT_SLUG).decode("ascii").split())  # runs of others: one hyphen
        if len(slug) < MAX_SLUG_LENGTH:  # (smart_truncate returns a shorter slug as it is)
            return slug
    return _slugify(text, lowercase=True, separator="-", max_length=MAX_SLUG_LENGTH, word_boundary=True)


def short_slug(text: str, limit: int) -> str:
    """The slug of a text, cut to `limit` characters at a word boundary (event and statement
    anchors): computed when the file is parsed, so the build cache keeps it."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]


def is_slug(text: str) -> bool:
    return len(text) <= MAX_SLUG_LENGTH and bool(SLUG_PATTERN.match(text))


def did_you_mean(word: str, candidates, *, key=None, cutoff: float = 0.75) -> str:
    """' (did you mean 'X'?)' for a near miss, else ''. `key` maps a candidate to its spelling."""
    keyed = {(key(c) if key else c): c for c in candidates}
    match = closest(word if key is None else key(word), keyed, cutoff=cutoff)
    return f" (did you mean '{keyed[match]}'?)" if match is not None else ""


def _words(name: str) -> tuple[str, ...]:
    return tuple(name_key(name).replace("-", " ").split())


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, or limit + 1 once it is over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


TYPO_LETTERS = 2  # letters a misspelt word may differ by ('Yee' for 'Yi', 'controls' for 'control')


def looks_like_typo(a: str, b: str) -> bool:
    """Two different names that one slip of the keyboard or ear would explain: the same words
    but one, which begins with the same letter and differs by at most TYPO_LETTERS letters
    ('Wang Yee' and 'Wang Yi'), or the same letters spaced differently ('Supplychains'). Names
    that differ in a whole word ('Abdul Petrova', 'Isabel Petrova') are different names."""
    one, two = _words(a), _words(b)
    if one == two or not one or not two:
        return False
    if len(one) != len(two):
        return "".join(one) == "".join(two)
    differing = [(x, y) for x, y in zip(one, two, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return x[0] == y[0] and _edit_distance(x, y, TYPO_LETTERS) < min(TYPO_LETTERS + 1, max(len(x), len(y)))


class TypoIndex:
    """Names by what a typo leaves alone (the number of words and their initials; the letters
    without spaces), so finding a name's likely typos looks at a handful of names, not all. Names
    are put in buckets when first asked: a registry adds every name, and only near-miss warnings ask."""

    def __init__(self):
        self._added: list[tuple[str, str]] = []  # (name, owner), in order: bucketed when first asked
        self._buckets: dict[tuple, list[tuple[str, str]]] = {}
        self._bucketed = 0

    @staticmethod
    def _keys(name: str) -> list[tuple]:
        words = _words(name)
        return [("words", len(words), "".join(w[0] for w in words)), ("letters", "".join(words))] if words else []

    def __eq__(self, other) -> bool:  # the same names and owners, added in the same order
        return isinstance(other, TypoIndex) and self._added == other._added

    __hash__ = None  # type: ignore[assignment]

    def add(self, name: str, owner: str):
        self._added.append((name, owner))

    def near(self, name: str, exclude: str | None = None) -> str | None:
        """The owner of the first name (by bucket, then in the order added) that looks like a
        typo of `name`, or None. The rest is not compared: a hundred names alike ('Topic 001'
        to 'Topic 099', one bucket) would be each compared with each."""
        for added in self._added[self._bucketed :]:
            for key in self._keys(added[0]):
                self._buckets.setdefault(key, []).append(added)
        self._bucketed = len(self._added)
        for key in self._keys(name):
            for other, owner in self._buckets.get(key, ()):
                if owner != exclude and looks_like_typo(name, other):
                    return owner
        return None
