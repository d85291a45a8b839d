"""Pagefind 1.5.2's word rules, so that the bundles we write match the ones it writes.

A record's text is split at white space; each piece is one position. From a piece come the
words Pagefind indexes at that position: the piece's letters and digits lowercased and stemmed
(Snowball's English stemmer, as Pagefind's), the parts of a compound (`Al-Sayed`, `G7`,
`camelCase`) at a share of the weight, and emoji. A word with diacritics is indexed under its
plain form and remembered as a variant (`josé` under `jose`), so that an exact spelling ranks
first. The rules are Pagefind's own (`fossick/splitting.rs`, convert_case's boundaries); the
bundle test compares our bundles with Pagefind's for the same records.

Each distinct piece is worked out once and kept: a site's text repeats the same pieces.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

WEIGHT = 24  # Pagefind's weight of ordinary text (1.0 times its multiplier 24)
# Characters kept inside a word besides letters and digits ("Punctuation, Connector").
WORD_SYMBOLS = ("_", "\u203f", "\u2040", "\u2054", "\ufe33", "\ufe34", "\ufe4d", "\ufe4e", "\ufe4f", "\uff3f")
_KEEP_ASCII = {code: None for code in range(128) if not (chr(code).isalnum() or chr(code) == "_")}
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", " "))
# Rust's White_Space: Python's str.split() also splits at U+001C-U+001F, which Rust does not.
_RUST_SPACE = re.compile("[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_NOT_RUST_SPACE = "\x1c\x1d\x1e\x1f"

# One indexable word: (stem, whether it is a compound's part, its spelling with diacritics or None).
Indexable = tuple[str, bool, "str | None"]


def split(text: str) -> list[str]:
    """The text cut as Rust's `split_whitespace` cuts it."""
    if any(c in text for c in _NOT_RUST_SPACE):  # (four scans in C: a pattern's search is slower)
        return [piece for piece in _RUST_SPACE.split(text) if piece]
    return text.split()


def pieces(text: str) -> list[str]:
    """A record's text in pieces, one per position, zero-width spaces removed."""
    found = split(text)
    if "\u200b" in text:
        found = [piece for piece in (piece.replace("\u200b", "") for piece in found) if piece]
    return found


class WordRules:
    """Pagefind's indexable words for each piece of text, each piece worked out once. Stems
    are numbered (`stems`) so that a page's words can be packed as arrays (postings.py)."""

    def __init__(self):
        self._stemmer = Stemmer.Stemmer("english")
        self.known: dict[str, str | tuple[Indexable, ...]] = {}
        # piece -> the number of its one stem, or -1 when it gives several words or none; a
        # piece not yet known is worked out when looked up, so a look-up of a page's pieces
        # stays one pass in C (`list(map(ids.__getitem__, pieces))`)
        self.ids = _Numbers(self)
        self.stems: list[str] = []
        self._numbers: dict[str, int] = {}

    def words(self, piece: str) -> str | tuple[Indexable, ...]:
        """A stem alone when the piece gives one plain word (most pieces), else every word."""
        known = self.known.get(piece)
        if known is None:
            known = self.known[piece] = self._work_out(piece)
            self.ids[piece] = self.number(known) if known.__class__ is str else -1
        return known

    def number(self, stem: str) -> int:
        found = self._numbers.get(stem)
        if found is None:
            found = self._numbers[stem] = len(self.stems)
            self.stems.append(stem)
        return found

    def _work_out(self, piece: str) -> str | tuple[Indexable, ...]:
        if piece.isascii():
            if piece.isalnum() and piece[1:] == piece[1:].lower():  # no capital inside it: one word
                return self._stemmer.stemWord(piece.lower())
            normalized = piece.translate(_KEEP_ASCII).lower()
        else:
            normalized = "".join(_lower_char(c) for c in piece if c.isalnum() or c in WORD_SYMBOLS)
        found: list[Indexable] = []
        if normalized:
            found.append(self._indexable(normalized, False))
        if _possibly_compound(piece):
            parts, extras = _discrete_words(piece)
            if normalized and (" " in parts or not normalized.startswith(parts)):
                found.extend(self._indexable(part, True) for part in split(parts) if len(part.encode()) > 1)
            found.extend((extra, False, None) for extra in extras)
        if len(found) == 1 and found[0][2] is None:  # one plain word ("said," gives "said")
            return found[0][0]
        return tuple(found)

    def _indexable(self, word: str, part: bool) -> Indexable:
        plain = _without_diacritics(word)
        return (self._stemmer.stemWord(plain or word), part, word if plain else None)


class _Numbers(dict):
    """WordRules.ids: a piece's stem number, worked out on its first look-up."""

    def __init__(self, rules: WordRules):
        super().__init__()
        self.rules = rules

    def __missing__(self, piece: str) -> int:
        self.rules.words(piece)
        return self[piece]


def _lower_char(c: str) -> str:
    """Rust lowers a word character by character (no final sigma), and only capitals."""
    return c.lower() if c.isupper() else c


def _possibly_compound(piece: str) -> bool:
    """Not letters and digits only, or a capital after the first character."""
    if piece.isascii():
        return not piece.isalnum() or piece[1:] != piece[1:].lower()
    return not all(c.isalnum() for c in piece) or any(c.isupper() for c in piece[1:])


def _without_diacritics(word: str) -> str | None:
    """The word decomposed without its combining marks, if that differs (`café` -> `cafe`)."""
    if word.isascii():
        return None
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.category(c).startswith("M"))
    return plain if plain != word else None


def _discrete_words(piece: str) -> tuple[str, list[str]]:
    """The piece's parts, lowercased and joined by spaces, as convert_case 0.11 splits it (at
    ASCII punctuation, lower-to-upper, letter-digit and acronym boundaries), and its emoji."""
    if piece.isascii():  # (each character a grapheme: the same boundaries as one pattern)
        return " ".join(split(_ASCII_BOUNDARY.sub(" ", piece.translate(_PUNCTUATION_TO_SPACE)).lower())), []
    graphemes = _graphemes(piece.translate(_PUNCTUATION_TO_SPACE))
    kinds = [_kind(g) for g in graphemes]
    words, start = [], 0
    for i, kind in enumerate(kinds):
        if kind == " ":
            words.append("".join(graphemes[start:i]))
            start = i + 1
            continue
        after = kinds[i + 1] if i + 1 < len(kinds) else ""
        if (kind, after) in _SPLIT_AFTER or (
            kind == "U" and after == "U" and i + 2 < len(kinds) and kinds[i + 2] == "L"
        ):
            words.append("".join(graphemes[start : i + 1]))
            start = i + 1
    words.append("".join(graphemes[start:]))
    parts = " ".join(split(" ".join(word.lower() for word in words)))
    extras = [g for g in _graphemes(piece) if _is_emoji(g)] if not piece.isascii() else []
    return parts, extras


_ASCII_BOUNDARY = re.compile(
    r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])"
)
# convert_case's default boundaries between two graphemes: lower-upper, lower-digit,
# upper-digit, digit-lower, digit-upper (the acronym boundary needs a third, above).
_SPLIT_AFTER = {("L", "U"), ("L", "D"), ("U", "D"), ("D", "L"), ("D", "U")}


def _kind(grapheme: str) -> str:
    if grapheme == " ":
        return " "
    if grapheme.isascii() and grapheme.isdigit():
        return "D"
    upper, lower = grapheme.upper(), grapheme.lower()
    if upper != lower:
        if grapheme == upper:
            return "U"
        if grapheme == lower:
            return "L"
    return ""


def _graphemes(text: str) -> list[str]:
    """Grapheme clusters, near enough for splitting words: a character with the marks, joiners,
    variation selectors and skin tones after it, and flags as pairs of regional indicators."""
    if text.isascii():
        return list(text)
    clusters: list[str] = []
    for c in text:
        code = ord(c)
        if clusters and (
            unicodedata.category(c) in ("Mn", "Me", "Mc")
            or code in (0x200C, 0x200D)
            or 0x1F3FB <= code <= 0x1F3FF
            or clusters[-1].endswith("\u200d")
            or (0x1F1E6 <= code <= 0x1F1FF and len(clusters[-1]) == 1 and 0x1F1E6 <= ord(clusters[-1]) <= 0x1F1FF)
        ):
            clusters[-1] += c
        else:
            clusters.append(c)
    return clusters


def _is_emoji(grapheme: str) -> bool:
    """Pictographs from U+1F000 up, and any cluster that asks for emoji presentation or is a keycap."""
    first = ord(grapheme[0])
    return first >= 0x1F000 or (len(grapheme) > 1 and ("\ufe0f" in grapheme or "\u20e3" in grapheme))
