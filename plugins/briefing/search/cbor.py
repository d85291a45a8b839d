"""CBOR as Pagefind's bundles hold it: item heads one at a time or a few million at once, and
whole values (integers, strings, arrays, maps, booleans).

Pagefind's word index is CBOR made only of heads, besides the words' text: arrays of arrays of
integers. A head is a major type (0 an unsigned integer, 1 a negative one, 3 text, 4 an array,
5 a map) and its argument, written in 1, 2, 3, 5 or 9 bytes, the shortest that holds it (RFC
8949, section 3; Pagefind's encoder writes the shortest). `encode_heads` writes a whole bundle's
in one pass with numpy. Anything unexpected when decoding is an error, never a silently
different value.
"""

from __future__ import annotations

import struct

import numpy as np

UNSIGNED, NEGATIVE, TEXT, ARRAY = 0, 1, 3, 4
_EXTRA = ((2, 1), (3, 2), (5, 4), (9, 8))  # (head size, bytes of argument) past the first byte


class CborError(ValueError):
    """Bytes that are not CBOR of the kinds Pagefind writes, or a value that cannot be written."""


def head_bytes(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, code in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(code)):
            return bytes([major << 5 | info]) + struct.pack(code, argument)
    raise CborError(f"integer too large for CBOR: {argument}")


def text_bytes(text: str) -> bytes:
    raw = text.encode("utf-8")
    return head_bytes(TEXT, len(raw)) + raw


def int_items(values: list[int]) -> list[tuple[int, int]]:
    """An array of integers as heads: its own, then each value's."""
    return [(ARRAY, len(values))] + [(UNSIGNED, v) if v >= 0 else (NEGATIVE, -1 - v) for v in values]


def ints_bytes(values: list[int]) -> bytes:
    return b"".join(head_bytes(major, argument) for major, argument in int_items(values))


def encode_heads(major: np.ndarray, argument: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The heads' bytes one after another, and where each head starts in them. `major` may be
    any integer type (int8 is enough); `argument` int64, every value below 2**63. A bundle at
    100,000 entries has some 15 million heads: the work arrays are of bytes where they can be."""
    size = np.ones(len(argument), dtype=np.int8)
    for bound in (24, 1 << 8, 1 << 16, 1 << 16, 1 << 32, 1 << 32, 1 << 32, 1 << 32):
        size += argument >= bound  # 1, 2, 3, 5 or 9 bytes
    start = np.cumsum(size, dtype=np.int64)
    start -= size
    out = np.empty(int(start[-1] + size[-1]) if len(size) else 0, dtype=np.uint8)
    # the first byte's low five bits: the argument itself below 24, else 24-27 for 1, 2, 4 or 8 bytes after
    info = np.minimum(argument, 23).astype(np.uint8)
    for head_size, width in _EXTRA:
        chosen = np.flatnonzero(size == head_size)
        if not len(chosen):
            continue
        info[chosen] = 23 + width.bit_length()
        at, value = start[chosen] + 1, argument[chosen]
        for byte in range(width):
            out[at + byte] = (value >> (8 * (width - 1 - byte))) & 255
    out[start] = (major.astype(np.uint8) << 5) | info
    return out.tobytes(), start


def cbor_decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise CborError(f"{len(data) - end} stray bytes after the CBOR value")
    return value


def _decode(data: bytes, at: int):
    if at >= len(data):
        raise CborError("CBOR value cut short")
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise CborError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return bytes(data[at : at + argument]), at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], at
    raise CborError(f"unsupported CBOR item 0x{head:02x}")


def cbor_encode(value) -> bytes:
    """Shortest-form CBOR, as Pagefind's own encoder writes it."""
    if value is True or value is False or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return head_bytes(0, value) if value >= 0 else head_bytes(1, -1 - value)
    if isinstance(value, bytes):
        return head_bytes(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head_bytes(3, len(raw)) + raw
    if isinstance(value, list):
        return head_bytes(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return head_bytes(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise CborError(f"cannot encode {type(value).__name__} as CBOR")
