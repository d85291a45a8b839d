"""YAML values written as text, for front matter that the tools add to an editor's file.

The tools edit front matter as text (so what the editor wrote stays byte for byte), which
means each added value must be written so YAML reads back exactly that string: plain when
it is safe, double-quoted otherwise.
"""

from __future__ import annotations

import json
import re

import yaml

from ..domain.frontmatter.source import Loader

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


def scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML scalar that reads back as the same string (in a flow list if `flow`)."""
    if _plain_is_safe(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def _plain_is_safe(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or not _PLAIN.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or (flow and _FLOW_UNSAFE.search(text)):
        return False
    try:
        read = yaml.load(f"[{text}]" if flow else f"k: {text}", Loader=Loader)
    except yaml.YAMLError:
        return False
    value = read[0] if flow else read.get("k") if isinstance(read, dict) else None
    return isinstance(value, str) and value == text


def flow_mapping(mapping: dict) -> str:
    """`{name: Vladimir Putin, country: Russia, role: President}` on one line."""
    return "{" + ", ".join(f"{key}: {scalar(str(value), flow=True)}" for key, value in mapping.items()) + "}"


def flow_item(item, *, flow: bool = True) -> str:
    """A list item: a name, or a mapping such as a new official's."""
    return flow_mapping(item) if isinstance(item, dict) else scalar(item, flow=flow)


def flow_list(names) -> str:
    """`[India, China]`: a list of names (or mappings) as one line."""
    return "[" + ", ".join(flow_item(n) for n in names) + "]"
