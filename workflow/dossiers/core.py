"""What every dossier use case shares (hồ sơ / tờ trình): loading one the actor may see at the
version the actor saw, its number, where it goes, its members, and moving it.

A dossier moves like every lifecycle row, through the kernel's one write path: its chain
"d:<id>" (head on the row), conditional on its version (workflow/kernel/transition.py).
"""
import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from states.dossiers import KIND_AGGREGATE, dossier_machine
from states.labels import action_label, both, state_label
from workflow import validation as v
from workflow.access.actors import Actor, RequestContext
from workflow.access.loading import load_actor
from workflow.access.visibility import can_see
from workflow.calendar.workdays import local_date
from workflow.decisions import numbering
from workflow.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from workflow.kernel.locks import for_update
from workflow.kernel.transition import Change, apply
from workflow.models import Dossier, DossierNomination, Nomination
from workflow.orgs.tree import OrgTree, org_tree

# "45/TTr-VTC", "123/TTr-BTTTT"; the number before the slash may still be blank on a draft.
DOSSIER_NUMBER = re.compile(r"\d{0,6}[A-Za-z]?/[\w.\-]+(?:/[\w.\-]+)*")
MAX_TITLE = 500
MAX_REASON = 2000


def ref(d: Dossier) -> dict:
    """How a dossier is named in nomination audit payloads."""
    return {"id": d.id, "number": d.number}


def parse_number(value: object, s: Session, org_id: int, now: datetime, field: str = "number") -> dict:
    """The number and numbering columns of a new tờ trình dated `now`: unique per (org, year,
    number, symbol), numbers restarting each year (NĐ 30/2020/NĐ-CP Art. 15)."""
    number = v.text(value, field, max_len=80)
    if not DOSSIER_NUMBER.fullmatch(number):
        raise InvalidInput(f"Số tờ trình '{number}' không đúng dạng, ví dụ 45/TTr-VTC",
                           f"Dossier number '{number}' is malformed; e.g. 45/TTr-VTC", field=field)
    numbered = numbering.fields(number, local_date(now))
    if numbered["seq"] is not None:
        taken = s.execute(select(Dossier).where(
            Dossier.org_id == org_id, Dossier.year == numbered["year"], Dossier.seq == numbered["seq"],
            Dossier.symbol == numbered["symbol"]).limit(1)).scalar()
        if taken is not None:
            free = numbering.next_free(s, Dossier, org_id, numbered["year"], numbered["symbol"])
            raise Conflict(f"Số {number} năm {numbered['year']} đã dùng cho hồ sơ {taken.number} (#{taken.id}); "
                           f"số tiếp theo còn trống: {free}",
                           f"Number {number} of {numbered['year']} is already dossier {taken.number} (#{taken.id})",
                           field=field)
    return {"number": number, **numbered}


def parse_reason(body: dict, required: bool) -> str | None:
    return v.text(body.get("reason"), "reason", required=required, max_len=MAX_REASON, multiline=True)


def load(s: Session, actor: Actor, tree: OrgTree, dossier_id: object) -> Dossier:
    """The dossier, or NotFound when it does not exist or the actor may not see it."""
    d = s.get(Dossier, dossier_id) if isinstance(dossier_id, int) and 0 < dossier_id < 2**62 else None
    if d is None or not can_see(actor, tree, d):
        raise NotFound(f"Không tìm thấy hồ sơ trình #{dossier_id}", f"Dossier #{dossier_id} not found")
    return d


def open_current(s: Session, actor_id: int, dossier_id: object, version: object) -> tuple[Actor, OrgTree, Dossier]:
    """The acting user, the org tree and the dossier a command works on: NotFound when the
    user may not see it, Conflict when `version` (as the caller last saw it) is stale."""
    actor = load_actor(s, actor_id)
    tree = org_tree(s)
    d = load(s, actor, tree, dossier_id)
    check_version(d, version)
    return actor, tree, d


def check_version(d: Dossier, version: object) -> None:
    version = v.integer(version, "version", minimum=1, required=False)
    if version is not None and version != d.version:
        raise Conflict(f"Hồ sơ {d.number} đã được người khác thay đổi (phiên bản {d.version}); hãy tải lại",
                       f"Dossier {d.number} was changed by someone else (version {d.version}); reload",
                       field="version")


def check_versions(s: Session, actor: Actor, tree: OrgTree, versions: object) -> None:
    """A form or request drawn from these dossiers at these versions (`{dossier_id: version}`) is
    still current: NotFound for one the actor may not see, Conflict when one changed since."""
    if versions is None:
        return
    if not isinstance(versions, dict):
        raise InvalidInput("dossier_versions phải là đối tượng {mã tờ trình: phiên bản}",
                           "dossier_versions must be an object {dossier id: version}", field="dossier_versions")
    for key, version in sorted(versions.items(), key=lambda kv: str(kv[0])):
        dossier_id = int(key) if isinstance(key, str) and key.isdigit() and len(key) < 19 else key
        check_version(load(s, actor, tree, dossier_id), version)


def addressed_org(tree: OrgTree, org_id: int, kind: str) -> int | None:
    """Where a dossier goes: a unit's to its ministry/province, an aggregate one to the centre."""
    level = "central" if kind == KIND_AGGREGATE else "ministry"
    node = tree.nearest(org_id, level) or tree.nearest(org_id, "central")
    return node.id if node and node.id != org_id else None


# --- moving and recording -----------------------------------------------------------------

def record(s: Session, d: Dossier, actor: Actor, action: str, now: datetime, ctx: RequestContext, *,
           reason: str | None = None, payload: dict | None = None, nomination_id: int | None = None,
           bump: bool = True, created: bool = False, values: dict | None = None) -> None:
    """Record a change of the dossier on its chain (and bump its version), in the caller's transaction."""
    apply(s, d, actor, Change(action, values=values or {}, reason=reason, payload=payload, bump=bump,
                              nomination_id=nomination_id), now, ctx, created=created)


def move(s: Session, d: Dossier, actor: Actor, trigger: str, now: datetime, ctx: RequestContext, *,
         reason: str | None = None, payload: dict | None = None, values: dict | None = None) -> str:
    """Fire a transition of the shared dossier machine and record it."""
    dest = dossier_machine().next_state(d.state, trigger)
    if dest is None:
        (act_vi, act_en), (st_vi, st_en) = both(action_label, trigger, "dossier"), both(state_label, d.state, "dossier")
        raise InvalidTransition(
            f"Không thể thực hiện “{act_vi}” khi tờ trình {d.number} đang ở trạng thái “{st_vi}”",
            f"“{act_en}” is not possible while dossier {d.number} is “{st_en}”")
    record(s, d, actor, trigger, now, ctx, reason=reason, payload=payload, values={**(values or {}), "state": dest})
    return dest


# --- members -------------------------------------------------------------------------------

def members(s: Session, d: Dossier, *, here_only: bool = False, lock: bool = False) -> list[Nomination]:
    """The nominations the dossier carried, in list order; `here_only`: still travelling in it;
    `lock`: locked (in id order) for a command."""
    q = (select(Nomination, DossierNomination.position)
         .join(DossierNomination, DossierNomination.nomination_id == Nomination.id)
         .where(DossierNomination.dossier_id == d.id).order_by(Nomination.id))
    if here_only:
        q = q.where(Nomination.dossier_id == d.id)
    rows = s.execute(for_update(s, q, Nomination) if lock else q).all()
    return [n for n, _ in sorted(rows, key=lambda r: (r[1], r[0].id))]


def next_position(s: Session, d: Dossier) -> int:
    last = s.execute(select(func.max(DossierNomination.position))
                     .where(DossierNomination.dossier_id == d.id)).scalar()
    return (last or 0) + 1
