"""Add names and events to an entry's front matter by editing its text.

The YAML is never re-dumped: every byte the editor wrote stays where it was (comments,
quoting, key order), and each addition goes where a person would type it: a name at the
end of its list, in the list's own style (`[India, China]` or one `- item` a line; an empty
`[]` that gets a new official's `{name, country, role}` becomes one item a line), an event
after the last event, and a key that is missing at the end of the front matter.
"""

from __future__ import annotations

import re

import yaml

from ..domain.frontmatter.source import NO_FRONT_MATTER, Loader, front_matter_span
from .yaml_text import flow_item, flow_list, scalar

_NULL = "tag:yaml.org,2002:null"


class MergeError(ValueError):
    """Front matter this tool cannot edit safely (the check explains what is wrong)."""


def _front_matter_bounds(text: str) -> tuple[int, int]:
    """(start, end) offsets of the YAML between the first two `---` lines."""
    span = front_matter_span(text)
    if span == NO_FRONT_MATTER:
        raise MergeError("the file has no front matter: it must start with a '---' line")
    if isinstance(span, str):
        raise MergeError("front matter is not closed: add a '---' line after the YAML")
    start, end, _ = span
    return start, end


def _line_end(text: str, index: int) -> int:
    """Offset just past the line that holds `index` (before its newline)."""
    end = text.find("\n", index)
    return len(text) if end == -1 else end


def _last_content(node) -> int:
    """Offset just past the last character of `node` that is not trailing space or comment."""
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.index
    if node.flow_style:
        return node.end_mark.index
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return max((_last_content(child) for child in children), default=node.start_mark.index)


def _event_lines(event: dict, indent: str) -> list[str]:
    return [f"{indent}- date: {event['date']}", f"{indent}  what: {scalar(event['what'])}"]


def _event_flow(event: dict) -> str:
    return f"{{date: {event['date']}, what: {scalar(event['what'], flow=True)}}}"


def _edit_for(front: str, key_node, value_node, key: str, items: list) -> tuple[int, int, str]:
    """(start, end, replacement) in the front matter text that adds `items` to `key`."""
    is_events = key == "events"
    if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL and not value_node.value:
        if is_events:  # `events:` with nothing (perhaps a comment): start a block list under it
            at = _line_end(front, key_node.start_mark.index)
            return at, at, "\n" + "\n".join(line for e in items for line in _event_lines(e, "  "))
        colon = front.index(":", key_node.end_mark.index) + 1
        return colon, colon, " " + flow_list(items)
    if isinstance(value_node, yaml.ScalarNode):  # `countries: India` -> `countries: [India, China]`
        start, end = value_node.start_mark.index, value_node.end_mark.index
        if is_events:
            raise MergeError("'events' must be a list")
        return start, end, "[" + front[start:end] + ", " + ", ".join(flow_item(i) for i in items) + "]"
    if isinstance(value_node, yaml.MappingNode):  # a single event or source written as a mapping
        raise MergeError(f"'{key}' is a single mapping; write it as a list to add to it")
    if value_node.flow_style:
        close = value_node.end_mark.index - 1  # the ']'
        inner = front[value_node.start_mark.index + 1 : close]
        if not inner.strip() and any(isinstance(i, dict) for i in items):
            # `officials: []` getting {name, country, role} mappings: one a line, where a role is easy to edit
            start, end = value_node.start_mark.index, value_node.end_mark.index
            while start > 0 and front[start - 1] == " ":
                start -= 1
            return start, end, "\n" + "\n".join(f"  - {flow_item(i, flow=False)}" for i in items)
        added = ", ".join(_event_flow(i) if is_events else flow_item(i) for i in items)
        return close, close, (", " if inner.strip() else "") + added
    indent = " " * value_node.start_mark.column
    last = _last_content(value_node)
    while last > 0 and front[last - 1] in " \t\n":  # a block scalar ends after its blank lines
        last -= 1
    at = _line_end(front, last)
    lines = (
        [line for e in items for line in _event_lines(e, indent)]
        if is_events
        else [f"{indent}- {flow_item(i, flow=False)}" for i in items]
    )
    return at, at, "\n" + "\n".join(lines)


REJECTION = re.compile(r"^[ \t]*#[ \t]*suggest:[ \t]*no[ \t]+(.+?)[ \t]*$", re.M)


def rejections(text: str) -> list[str]:
    """What `# suggest: no <name or date>` lines in the front matter reject, one per line."""
    try:
        start, end = _front_matter_bounds(text)
    except MergeError:
        return []
    return [found.group(1) for found in REJECTION.finditer(text[start:end])]


def merge_front_matter(text: str, additions: dict[str, list], rejected: list[str] | tuple[str, ...] = ()) -> str:
    """`text` (a whole entry file, LF line ends) with `additions` ({key: [names or events]})
    added, and a `# suggest: no <item>` line at the end of the front matter for each of
    `rejected` (suggestions the editor deleted)."""
    start, end = _front_matter_bounds(text)
    front = text[start:end]
    try:
        root = yaml.compose(front, Loader=Loader)
    except yaml.YAMLError as exc:
        raise MergeError(f"the front matter is not valid YAML ({exc}); run 'briefing check'") from None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise MergeError("the front matter must be a mapping of 'key: value' lines")
    nodes = {k.value: (k, v) for k, v in (root.value if root is not None else [])}
    edits = []
    missing = []
    for key, items in additions.items():
        if not items:
            continue
        if key in nodes:
            edits.append(_edit_for(front, *nodes[key], key, items))
        else:
            missing.append((key, items))
    for at, stop, replacement in sorted(edits, reverse=True):
        front = front[:at] + replacement + front[stop:]
    if missing:
        if front and not front.endswith("\n"):
            front += "\n"
        for key, items in missing:
            if key == "events":
                front += "events:\n" + "\n".join(line for e in items for line in _event_lines(e, "  ")) + "\n"
            else:
                front += f"{key}: {flow_list(items)}\n"
    if rejected:
        if front and not front.endswith("\n"):
            front += "\n"
        front += "".join(f"# suggest: no {item}\n" for item in rejected)
    return text[:start] + front + text[end:]
