"""Who a plan concerns: participants named one by one or as groups, and who each milestone binds.

A *ref* is either one organisation, `{"org_id": 12}`, or a group, `{"kind": "department",
"under": 3}`: every open organisation of that kind under a root ("các Sở, ban, ngành thuộc UBND
tỉnh", "UBND các xã, phường", "các đơn vị trực thuộc Bộ"). Kinds are the organisation kinds of
workflow/orgs/service.py; `"*"` is every unit-level organisation under the root (what a plan
that names nobody concerns). Groups are resolved into units when the plan is issued, so a Sở
opened between the draft and the issue takes part.

`match_binds` reads who a milestone binds from the words of the plan ("Các Sở, ban, ngành và
UBND các xã, phường, đặc khu", "Cục Báo chí"): the common phrasings become groups under the
issuer, names of organisations become those organisations, and whatever is left is returned to
be shown as a warning. It never guesses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from states.labels import GROUP_KINDS
from workflow.errors import InvalidInput
from workflow.orgs.tree import OrgTree
from workflow.text import clean, search_key

ALL = "*"


def resolve(tree: OrgTree, ref: dict) -> set[int]:
    """The open organisations a ref names today."""
    if "org_id" in ref:
        node = tree.get(ref["org_id"])
        return {node.id} if node and node.open else set()
    root, kind = ref["under"], ref["kind"]
    return {i for i in tree.subtree_ids(root)
            if i != root and (n := tree.nodes[i]).open
            and (n.level == "unit" if kind == ALL else n.kind == kind)}


def resolve_all(tree: OrgTree, refs: list[dict] | None) -> set[int]:
    out: set[int] = set()
    for ref in refs or ():
        out |= resolve(tree, ref)
    return out


def refs(raw, field: str, tree: OrgTree, within: int, *, anywhere: bool = False) -> list[dict] | None:
    """Validate a list of refs given to the API; every organisation must lie under `within`,
    unless `anywhere` (a plan's participants may be any units of the tree, e.g. every provincial
    Sở of a sector answering a ministry's plan; a group without "under" is still under `within`)."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise InvalidInput(f"{field} phải là danh sách", f"{field} must be a list", field=field)
    out: list[dict] = []
    for i, ref in enumerate(raw):
        f = f"{field}[{i}]"
        if isinstance(ref, int) and not isinstance(ref, bool):
            ref = {"org_id": ref}
        if not isinstance(ref, dict):
            raise InvalidInput(f"{f} phải là đối tượng", f"{f} must be an object", field=f)
        if "org_id" in ref:
            out.append({"org_id": _org(ref["org_id"], f"{f}.org_id", tree, None if anywhere else within)})
            continue
        kind = ref.get("kind")
        if kind not in GROUP_KINDS:
            raise InvalidInput(f"{f}.kind phải là một trong {', '.join(GROUP_KINDS)}",
                               f"{f}.kind must be one of {', '.join(GROUP_KINDS)}", field=f"{f}.kind")
        out.append({"kind": kind, "under": _org(ref.get("under", within), f"{f}.under", tree,
                                                None if anywhere else within)})
    return list({_key(r): r for r in out}.values())


def _key(ref: dict) -> tuple:
    return (ref["org_id"],) if "org_id" in ref else (ref["kind"], ref["under"])


def _org(value, field: str, tree: OrgTree, within: int | None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value not in tree.nodes:
        raise InvalidInput(f"Không có cơ quan, đơn vị #{value}", f"No organisation #{value}", field=field)
    if within is not None and not tree.is_within(value, within):
        raise InvalidInput(f"Đơn vị #{value} không thuộc phạm vi của cơ quan ban hành",
                           f"Unit #{value} is outside the issuing organisation", field=field)
    return value


def describe(tree: OrgTree, ref: dict, lang: str = "vi") -> str:
    """"Các Sở, ban, ngành, đơn vị thuộc UBND tỉnh Thái Nguyên", or the organisation's name."""
    if "org_id" in ref:
        node = tree.get(ref["org_id"])
        return node.name if node else f"#{ref['org_id']}"
    root = tree.get(ref["under"])
    names = GROUP_KINDS[ref["kind"]]
    return f"{names[1] if lang == 'en' else names[0]} {root.name if root else ref['under']}"


# --- reading who a milestone binds ------------------------------------------------------------

# Common phrasings of plans (folded: no diacritics, lower case) and the kind of organisation they
# name under the issuer. Tried in order; the first that matches a stretch of text takes it.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"(?:uy\s+ban\s+nhan\s+dan|ubnd)\s+(?:cac\s+)?(?:xa|phuong)(?:\s*,\s*|\s+)(?:phuong|xa|thi\s+tran)"
     r"(?:\s*,\s*(?:thi\s+tran|dac\s+khu))*(?:\s*,?\s*dac\s+khu)?", "commune"),
    (r"(?:cac\s+)?(?:xa|phuong)\s*,\s*(?:phuong|xa|thi\s+tran)(?:\s*,\s*(?:thi\s+tran|dac\s+khu))*"
     r"(?:\s*,?\s*dac\s+khu)?", "commune"),
    (r"(?:cac\s+)?so\s*,\s*ban\s*,\s*nganh(?:\s*,\s*(?:doan\s+the|dia\s+phuong))*", "department"),
    (r"(?:cac\s+)?co\s+quan\s+chuyen\s+mon(?:\s+thuoc\s+(?:uy\s+ban\s+nhan\s+dan|ubnd)\s+tinh)?", "department"),
    (r"(?:cac\s+)?don\s+vi\s+co\s+so", "unit"),
    (r"(?:cac\s+)?(?:co\s+quan\s*,\s*)?don\s+vi\s+(?:truc\s+thuoc|thuoc|trong\s+toan\s+nganh)", ALL),
    (r"(?:tat\s+ca\s+)?cac\s+co\s+quan\s*,\s*(?:to\s+chuc\s*,\s*)?don\s+vi", ALL),
    (r"(?:tat\s+ca\s+)?cac\s+don\s+vi", ALL),
)
_PHRASES_RE = tuple((re.compile(rf"(?<!\w){p}(?!\w)"), kind) for p, kind in _PHRASES)
# Words that join or frame the names and say nothing about who: left out of the leftovers.
_FILLER = re.compile(r"(?<!\w)(?:va|voi|cung|cac|chu\s+tri|phoi\s+hop|thuc\s+hien|gui|bao\s+cao|ve|toi|den"
                     r"|truc\s+thuoc|thuoc|tinh|bo|nganh|lien\s+quan|co\s+lien\s+quan)(?!\w)")


@dataclass(frozen=True)
class Binding:
    refs: list[dict]
    unmatched: list[str]  # pieces of the text that name nobody known, as written


def match_binds(text: str, tree: OrgTree, issuer_org_id: int) -> Binding:
    """Who `text` binds, as refs under the issuer, and the pieces it could not read."""
    written = clean(text)
    folded = search_key(written)
    same = len(folded) == len(written)  # then a span of the folded text is a span of the written one
    taken = [False] * len(folded)
    found: list[dict] = []

    def take(m: re.Match) -> bool:
        if any(taken[m.start():m.end()]):
            return False
        taken[m.start():m.end()] = [True] * (m.end() - m.start())
        return True

    # Names first, longest first: "Sở Giáo dục và Đào tạo" is a name, not "Sở" and "và".
    nodes = sorted((n for n in tree.nodes.values()
                    if n.open and n.id != issuer_org_id and tree.is_within(n.id, issuer_org_id)),
                   key=lambda n: -len(n.name))
    for n in nodes:
        key = search_key(n.name)
        for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            if take(m):
                found.append({"org_id": n.id})
    for pattern, kind in _PHRASES_RE:
        for m in pattern.finditer(folded):
            if take(m):
                found.append({"kind": kind, "under": issuer_org_id})
    rest = "".join(ch if not t else "\x00" for ch, t in zip(written if same else folded, taken))
    unmatched = []
    for piece in re.split(r"[\x00,;.:()]+", rest):
        if _FILLER.sub(" ", search_key(piece)).strip():
            unmatched.append(piece.strip())
    return Binding(list({_key(r): r for r in found}.values()), unmatched)
