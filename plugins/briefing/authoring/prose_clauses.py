"""The grammar a date needs from its sentence: the wire dateline to leave out, the clause
that holds a date (an event's `what` is one clause, not the whole sentence), and the tense
of that clause (a date after "will" lies ahead of the report; after "said", behind it).

Plain rules over words, no language model: they are written for the way news agencies and
ministries write, and each one is tested on phrasing, not on any one text.
"""

from __future__ import annotations

import re

# "NEW DELHI, Aug 27 (Reuters) -- ", "TURNBERRY, Scotland, July 28 -", "BEIJING (Xinhua) — "
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'\u2019\- ]{1,40}(?:,\s*[A-Z][\w.'\u2019\- ]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*(?:--|\u2014|\u2013|-)\s+"
)

# A new clause begins at a semicolon, or at a comma and a conjunction ("..., but the
# licensing stayed"), unless the words after it share the subject before it (", and was
# granted", ", and said") or are an aside closed by another comma (", and the magnets
# made from them, under licensing").
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:but|and|while|whereas|although|though|adding|saying)\s+")
_SHARED_SUBJECT = re.compile(
    r"(?:was|were|is|are|has|have|had|will|would|could|can|did|does|do|said|says|added|then|also)\b"
    r"|[a-z]+ed\b"
)
_LEADING_WORDS = re.compile(r"^(?:and|but|while|whereas|although|though|adding|saying)\s+", re.I)

_WORD = re.compile(r"[\w\u2019'%.\-]+")
FUTURE = "future"
PAST = "past"
SCHEDULED = "scheduled"  # planned, scheduled: the nearest such day, before or after

_FUTURE_WORDS = {"will", "would", "shall", "'ll", "next", "upcoming", "ahead", "coming", "tomorrow", "due", "expected"}
_SCHEDULED_WORDS = {"scheduled", "planned", "set", "plans", "plan", "intends", "slated"}
_PAST_WORDS = {
    "said", "told", "was", "were", "had", "did", "last", "ago", "earlier", "since", "yesterday",
    "met", "held", "took", "gave", "made", "spoke", "came", "went", "began", "begun", "sent", "left", "led",
    "won", "wrote", "saw", "rose", "fell", "struck", "hit", "rode", "flew", "brought", "fought", "broke",
    "became", "got", "put", "ran", "sought", "thought", "meant", "kept", "paid", "lost", "chose", "drew",
}  # fmt: skip
_NOT_PAST_PARTICIPLES = {"united", "red", "need", "speed", "feed", "seed", "embed", "bed", "hundred", "shed"}
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "this", "that", "these", "those", "our", "my"}
PARTICIPLE_REACH = 3  # an -ed word this many words before a date is its verb ("agreed on Sunday")


def dateline_end(text: str) -> int:
    """Where the wire dateline at the start of `text` ends (0 when there is none)."""
    found = _DATELINE.match(text)
    return found.end() if found else 0


def clause_at(sentence: str, offset: int) -> tuple[str, int]:
    """(the clause of `sentence` that holds `offset`, where it starts in `sentence`)."""
    start, end = 0, len(sentence)
    for found in _CLAUSE_BREAK.finditer(sentence):
        rest = sentence[found.end() :]
        if found.group(0).startswith(",") and (_SHARED_SUBJECT.match(rest) or "," in rest):
            continue
        if found.end() <= offset:
            start = found.end()
        elif found.start() >= offset:
            end = found.start()
            break
    return sentence[start:end], start


def tidy_clause(clause: str) -> str:
    """A clause as an event's `what`: no leading conjunction, a capital, no final full stop."""
    text = _LEADING_WORDS.sub("", clause.strip()).strip(" ,;:")
    text = re.sub(r"^that\s+", "", text)  # '..., adding that trade began in 1954'
    text = text.rstrip(".").strip()
    return text[:1].upper() + text[1:] if text else text


def _is_past_participle(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("ed") and len(lower) > 3 and lower not in _NOT_PAST_PARTICIPLES


def _is_infinitive(words: list[str], index: int) -> bool:
    """`to` + a lowercase verb ("to impose"): what follows lies after the verb before it."""
    if words[index].lower() != "to" or index + 1 >= len(words):
        return False
    following = words[index + 1]
    return following.isalpha() and following.islower() and following not in _DETERMINERS


def tense_before(clause: str, offset: int) -> str | None:
    """FUTURE, PAST, SCHEDULED or None: the nearest sign of time before `offset` in `clause`.
    'next'/'last' next to the date, an auxiliary ('will', 'would', 'was', 'had'), 'due to',
    'expected to', 'ahead of', a schedule ('planned for', which may lie behind), a past tense
    verb ('said', 'met', or an -ed verb right before the date). A past verb before an
    infinitive says nothing of the date after it ('had threatened to impose from Aug. 1');
    'expected to travel in December' looks ahead."""
    words = _WORD.findall(clause[:offset])
    infinitive = False
    for index in range(len(words) - 1, -1, -1):
        word = words[index].lower()
        infinitive = infinitive or _is_infinitive(words, index)
        if word in _FUTURE_WORDS:
            return FUTURE
        if word in _SCHEDULED_WORDS:
            return SCHEDULED
        if word in _PAST_WORDS or (len(words) - index <= PARTICIPLE_REACH and _is_past_participle(word)):
            return None if infinitive else PAST
    return None
