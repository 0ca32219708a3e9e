"""Geometry of the server-drawn SVG pictures: the route diagram and bar charts.

Only numbers and plain strings are computed here; templates write the markup, so every text
goes through Jinja's escaping. No JavaScript library and no font from the internet are needed.
"""
from dataclasses import dataclass, field

from states import ROUTES, machine_for
from states.lifecycle import AWARDED, DRAFT, EXPIRED, REJECTED, RETURNED, WITHDRAWN

NODE_W, NODE_H, GAP, MARGIN, TOP = 120, 56, 86, 12, 16
EXIT_DROP = 96  # vertical distance from the main row to the side exits
EXITS = (RETURNED, REJECTED, WITHDRAWN, EXPIRED)


@dataclass
class Node:
    state: str
    x: float
    y: float
    lines: list[str]
    css: str
    w: float = NODE_W
    h: float = NODE_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str
    title: str
    label: list[str] = field(default_factory=list)
    lx: float = 0
    ly: float = 0
    anchor: str = "middle"


@dataclass
class Diagram:
    width: float
    height: float
    nodes: list[Node]
    edges: list[Edge]


def wrap(text: str, width: int) -> list[str]:
    """Break a label into lines of at most `width` characters, at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def route_diagram(route_code: str, current: str | None, name_of, action_name_of,
                  returned_from: str | None = None) -> Diagram:
    """The route's states left to right, side exits below, `current` highlighted.

    Only the ways out of the current state are drawn to the side exits (all of them at once
    would be a tangle); `name_of(state)` and `action_name_of(action)` give the labels in the
    page's language.
    """
    edges = machine_for(route_code).edges()
    chain = [DRAFT, *ROUTES[route_code].states, AWARDED]
    exits = [s for s in EXITS if any(d == s for _, _, d in edges)]
    here = chain.index(current) if current in chain else -1
    nodes = {s: Node(s, MARGIN + i * (NODE_W + GAP), TOP, wrap(name_of(s), 16),
                     _css(s, i, here, current)) for i, s in enumerate(chain)}
    width = MARGIN * 2 + len(chain) * NODE_W + (len(chain) - 1) * GAP
    slot = (width - 2 * MARGIN) / max(len(exits), 1)
    for i, s in enumerate(exits):
        nodes[s] = Node(s, MARGIN + (i + 0.5) * slot - NODE_W / 2, TOP + NODE_H + EXIT_DROP,
                        wrap(name_of(s), 16), "node exit" + (" current" if s == current else ""))
    out = _main_edges(chain, edges, nodes, action_name_of)
    out += _exits_from(current, exits, edges, nodes, action_name_of)
    if current == RETURNED and returned_from in nodes:
        out.append(_edge_between(nodes[RETURNED], nodes[returned_from], "edge side resubmit",
                                 action_name_of("resubmit"), upward=True))
    height = TOP + 2 * NODE_H + EXIT_DROP + MARGIN
    return Diagram(width, height, list(nodes.values()), out)


def _css(state: str, index: int, here: int, current: str | None) -> str:
    css = "node"
    if state == current:
        css += " current"
    elif 0 <= index < here:
        css += " done"
    if state == AWARDED:
        css += " final"
    return css


def _main_edges(chain, edges, nodes, action_name_of) -> list[Edge]:
    out = []
    for a, b in zip(chain, chain[1:]):
        actions = list(dict.fromkeys(act for s, act, d in edges if s == a and d == b))
        label = wrap(" / ".join(action_name_of(x) for x in actions), 15)
        na, nb = nodes[a], nodes[b]
        y = na.y + na.h / 2
        out.append(Edge(na.x + na.w, y, nb.x - 2, y, "edge main",
                        " / ".join(action_name_of(x) for x in actions), label,
                        (na.x + na.w + nb.x) / 2, y - 6 - 12 * (len(label) - 1)))
    return out


def _exits_from(current, exits, edges, nodes, action_name_of) -> list[Edge]:
    """The side exits reachable from the current state, each labelled with its action."""
    pairs = dict.fromkeys((d, act) for s, act, d in edges if s == current and d in exits and d != s)
    return [_edge_between(nodes[current], nodes[d], f"edge side side-{d}", action_name_of(act))
            for d, act in pairs]


def _edge_between(src: Node, dst: Node, css: str, label: str, upward: bool = False) -> Edge:
    y1, y2 = (src.y, dst.y + dst.h + 2) if upward else (src.y + src.h, dst.y - 2)
    lines = wrap(label, 18)
    lx, ly = (src.cx + dst.cx) / 2, (y1 + y2) / 2
    right = dst.cx >= src.cx
    return Edge(src.cx, y1, dst.cx, y2, css, label, lines, lx + (6 if right else -6), ly,
                "start" if right else "end")


@dataclass
class Bar:
    label: str
    value: int
    y: float
    w: float
    css: str


@dataclass
class BarChart:
    width: float
    height: float
    label_w: float
    bars: list[Bar]
    bar_h: float


def bar_chart(items: list[tuple[str, int, str]], *, width: float = 640, label_w: float = 230,
              bar_h: float = 22, gap: float = 8) -> BarChart:
    """Horizontal bars scaled to the largest value; `items` are (label, value, css class)."""
    top = max((v for _, v, _ in items), default=0) or 1
    room = width - label_w - 60
    bars = [Bar(label, value, i * (bar_h + gap), room * value / top, css)
            for i, (label, value, css) in enumerate(items)]
    return BarChart(width, len(items) * (bar_h + gap), label_w, bars, bar_h)
