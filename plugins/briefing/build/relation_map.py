"""Relation maps as inline SVG (no script): a country's partners around it, and on
/relations/ the network of the most active pairs. A line's width is the number of entries
that name both; its colour and dash are the relation's current state (from its profile),
which the label and the table beside the map also say in words. The layout is fixed by the
data: nodes on an ellipse, the heaviest first, clockwise from the top, ties by name."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..domain.names import name_key
from ..domain.views import Partner, Relation

MAP_PARTNERS = 12  # partners drawn around a country (the table lists them all)
NETWORK_NODES = 12  # countries drawn on /relations/ ...
NETWORK_PAIRS = 24  # ... joined by at most this many of the most active pairs
LABEL_CHARS = 14  # longer names are cut in the drawing (the table has them whole)
WIDTH, HEIGHT = 400, 330  # SVG units; about 1.1 px each on a 375 px phone's 343 px column
CX, CY = WIDTH / 2, HEIGHT / 2
MIN_STROKE, MAX_STROKE = 1.5, 9.0
STATES = ("escalating", "emerging", "stable", "easing", "resolved")
DASHES = {"escalating": "", "emerging": "9 4", "stable": "", "easing": "3 3", "resolved": "1 5", "none": "5 4"}


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    url: str
    x: float
    y: float
    detail: str  # a second label line: "14 entries · easing"


@dataclass(frozen=True)
class Line:
    a: Node
    b: Node
    weight: int
    state: str  # one of STATES, or "none"
    title: str
    relation: Relation


def _state(relation: Relation) -> str:
    return relation.current.state if relation.current else "none"


def _ellipse(count: int, rx: float, ry: float) -> list[tuple[float, float]]:
    """`count` points on an ellipse around the middle, clockwise from the top."""
    points = []
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        points.append((round(CX + rx * math.cos(angle), 1), round(CY + ry * math.sin(angle), 1)))
    return points


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "\u2026"


def _entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def _stroke(weight: int, heaviest: int) -> float:
    return round(MIN_STROKE + (MAX_STROKE - MIN_STROKE) * weight / max(heaviest, 1), 1)


def relation_title(relation: Relation) -> str:
    """'India and China: 14 entries; easing since October 2024'."""
    current = relation.current
    state = f"; {current.state} since {current.date.label()}" if current else "; no status recorded"
    return f"{relation.name}: {_entries(len(relation.entries))}{state}"


def partner_map(centre, partners: list[Partner]) -> tuple[list[Node], list[Line], Node] | None:
    """The centre country and its MAP_PARTNERS heaviest partners (partners come heaviest first)."""
    drawn = partners[:MAP_PARTNERS]
    if not drawn:
        return None
    middle = Node(centre.key, centre.name, centre.url, CX, CY, "")
    nodes, lines = [], []
    for partner, (x, y) in zip(drawn, _ellipse(len(drawn), 85, 120), strict=True):
        state = _state(partner.relation)
        detail = _entries(partner.weight) + ("" if state == "none" else f" \u00b7 {state}")
        node = Node(partner.entity.key, partner.entity.name, partner.entity.url, x, y, detail)
        nodes.append(node)
        lines.append(Line(middle, node, partner.weight, state, relation_title(partner.relation), partner.relation))
    return nodes, lines, middle


def network(relations: list[Relation]) -> tuple[list[Node], list[Line]]:
    """The most active pairs, as long as they join at most NETWORK_NODES countries."""
    ranked = sorted(relations, key=lambda r: (-len(r.entries), r.slug))
    chosen: list[Relation] = []
    members: dict[str, object] = {}
    for relation in ranked:
        if len(chosen) == NETWORK_PAIRS:
            break
        new = {e.key: e for e in (relation.a, relation.b) if e.key not in members}
        if len(members) + len(new) > NETWORK_NODES:
            continue
        members.update(new)
        chosen.append(relation)
    weight = dict.fromkeys(members, 0)
    for relation in chosen:
        weight[relation.a.key] += len(relation.entries)
        weight[relation.b.key] += len(relation.entries)
    order = sorted(members.values(), key=lambda e: (-weight[e.key], name_key(e.name), e.slug))  # type: ignore[attr-defined]
    points = _ellipse(len(order), 95, 125)
    nodes = {
        e.key: Node(e.key, e.name, e.url, x, y, _entries(weight[e.key]))  # type: ignore[attr-defined]
        for e, (x, y) in zip(order, points, strict=True)
    }
    lines = [
        Line(nodes[r.a.key], nodes[r.b.key], len(r.entries), _state(r), relation_title(r), r)
        for r in sorted(chosen, key=lambda r: (len(r.entries), r.slug))  # heaviest drawn last, on top
    ]
    return list(nodes.values()), lines


def _label(node: Node, url) -> str:
    """A node's dot and its linked name (and detail line), set outward from the middle: above
    or below a node at the top or bottom, beside it elsewhere."""
    dx, dy = node.x - CX, node.y - CY
    lines = 2 if node.detail else 1
    if abs(dx) < 30:
        anchor, lx = "middle", node.x
        ly = node.y + 22 if dy > 0 else node.y - 10 - 14 * (lines - 1)
    else:
        anchor, lx = ("start", node.x + 10) if dx > 0 else ("end", node.x - 10)
        ly = node.y + 5 - 7 * (lines - 1)
    e = escape
    detail = f' <tspan class="map-detail" x="{lx}" dy="15">{e(node.detail)}</tspan>' if node.detail else ""
    return (
        f'<a href="{e(url(node.url))}"><circle class="map-node" cx="{node.x}" cy="{node.y}" r="5"/>'
        f'<text class="map-label" x="{lx}" y="{round(ly, 1)}" text-anchor="{anchor}">'
        f"{e(_cut(node.name))}{detail}</text></a>"
    )


def _line(line: Line, heaviest: int) -> str:
    dash = DASHES[line.state]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="map-line state-line-{line.state}" x1="{line.a.x}" y1="{line.a.y}" x2="{line.b.x}" '
        f'y2="{line.b.y}" stroke-width="{_stroke(line.weight, heaviest)}"{dashed}>'
        f"<title>{escape(line.title)}</title></line>"
    )


def map_svg(
    nodes: list[Node], lines: list[Line], url, title: str, description: str, centre: Node | None = None
) -> Markup:
    """The drawing: lines first, then the nodes and their linked labels on top."""
    heaviest = max((line.weight for line in lines), default=1)
    parts = [_line(line, heaviest) for line in lines]
    parts += [_label(node, url) for node in nodes]
    if centre is not None:  # its name on a plate, over the lines that leave it
        parts.append(
            f'<circle class="map-centre" cx="{CX}" cy="{CY}" r="9"/>'
            f'<text class="map-label map-centre-label" x="{CX}" y="{CY + 26}" text-anchor="middle">'
            f"{escape(_cut(centre.name))}</text>"
        )
    return Markup(
        f'<svg class="relation-map-svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="map-title" aria-describedby="map-desc">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
