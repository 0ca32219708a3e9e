"""What each paper says, gathered from the rows the product holds, as plain JSON-able data.

Both renderers (Word: workflow/documents/docx.py; PDF: the Typst templates) draw the same
content, so the two files of a paper never disagree. A paper is a dict:

    {"kind", "filename", "heading": {"parent", "org", "number", "place_date"},
     "title", "subject", "addressee"?, "blocks": [...], "signatures": [...], "recipients": [...],
     "annex"?: {"title", "subtitle", "table"}}

Blocks are `{"type": "para", "text", "bold"?, "italic"?, "center"?}` and
`{"type": "table", "columns": [...], "widths": [...], "rows": [...]}`, where a row is a list of
cells or `{"group": text}` / `{"total": text}`. Names, numbers and dates are printed exactly as
recorded (NFC).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from states.routes import LEADERS
from workflow.calendar.workdays import local_date
from workflow.catalogue.routing import award_name_of
from workflow.documents import nd30
from workflow.documents.bases import citations_on
from workflow.documents.titles import authority_of, head_title, signer_block
from workflow.models import CouncilVote, Decision, Dossier, DossierNomination, Nomination, OrgUnit, \
    PaperSettings, Plan, User
from workflow.orgs.tree import OrgNode, OrgTree

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
         "XVII", "XVIII", "XIX", "XX")
KIND_HEADINGS = {"individual": "Cá nhân", "collective": "Tập thể"}
LIST_COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, chức danh", "Đơn vị", "Hình thức khen thưởng"]
LIST_WIDTHS = [8, 30, 20, 25, 27]


@dataclass(frozen=True)
class Nominee:
    """One line of a list (danh sách): the nominee as recorded, with the award's full name."""
    id: int
    kind: str
    name: str
    title: str | None
    unit: str
    award_code: str
    award_name: str
    achievements: str


# --- what every paper shares --------------------------------------------------------------

def place_of(s: Session, tree: OrgTree, org_id: int) -> str:
    """The địa danh of an organisation's papers: its settings, else its province, else Hà Nội."""
    settings = s.get(PaperSettings, org_id)
    if settings and settings.place:
        return settings.place
    for node in reversed(tree.ancestors(org_id)):
        lowered = node.name.lower()
        if "tỉnh " in lowered:
            return node.name[lowered.rindex("tỉnh ") + 5:].strip()
        if "thành phố " in lowered:
            return node.name[lowered.rindex("thành phố ") + 10:].strip()
    return "Hà Nội"


def heading(s: Session, tree: OrgTree, org: OrgNode, number: str | None, day: date, *,
            issuer: str | None = None) -> dict:
    """The top of a paper (ND 30/2020 Phụ lục I, mục II.1–4): the body above the issuer for a unit
    (cơ quan chủ quản), the issuer, the number, the place and date."""
    parent = tree.get(org.parent_id) if org.level == "unit" else None
    return {"parent": nd30.upper(parent.name) if parent else "",
            "org": nd30.upper(issuer or org.name), "number": nd30.number_line(number),
            "place_date": nd30.place_date(place_of(s, tree, org.id), day),
            "quoc_hieu": nd30.QUOC_HIEU, "tieu_ngu": nd30.TIEU_NGU}


def leader_name(s: Session, org: OrgNode) -> str:
    """The name of the org's head as the users' register holds it (blank line when none)."""
    roles = LEADERS.get(org.level, ())
    name = s.execute(select(User.full_name).where(User.org_id == org.id, User.role.in_(roles), User.active)
                     .order_by(User.id).limit(1)).scalar()
    return name or ""


def nominees(s: Session, tree: OrgTree, noms: list[Nomination]) -> list[Nominee]:
    """The nominees of a paper, each award named as its decider gives it ("Bằng khen của Chủ tịch
    UBND tỉnh Thái Nguyên", workflow/catalogue/routing.py `award_name_of`)."""
    out = []
    for n in noms:
        unit = tree.get(n.unit_id)
        out.append(Nominee(n.id, n.nominee_kind, n.nominee_name, n.nominee_title, unit.name if unit else "",
                           n.award_code, award_name_of(s, tree, n)[0], n.achievements))
    return out


def grouped(people: list[Nominee]) -> list[tuple[str, str, list[tuple[str, list[Nominee]]]]]:
    """By award (in the list's order), then individuals before collectives."""
    by_award: dict[str, dict[str, list[Nominee]]] = {}
    names: dict[str, str] = {}
    for p in people:
        by_award.setdefault(p.award_code, defaultdict(list))[p.kind].append(p)
        names[p.award_code] = p.award_name
    return [(code, names[code], [(kind, kinds[kind]) for kind in ("individual", "collective") if kinds.get(kind)])
            for code, kinds in by_award.items()]


def counts_phrase(individuals: int, collectives: int) -> str:
    parts = []
    if individuals:
        parts.append(f"{individuals:02d} cá nhân")
    if collectives:
        parts.append(f"{collectives:02d} tập thể")
    return " và ".join(parts) or "00 cá nhân"


def list_table(people: list[Nominee]) -> dict:
    """The nominee table (danh sách), grouped by award and by individual / collective, with totals."""
    rows: list = []
    n = 0
    for i, (_code, award_name, kinds) in enumerate(grouped(people)):
        rows.append({"group": f"{ROMAN[i] if i < len(ROMAN) else i + 1}. {award_name}"})
        for j, (kind, members) in enumerate(kinds, start=1):
            rows.append({"group": f"{j}. {KIND_HEADINGS[kind]}: {len(members):02d}"})
            for p in members:
                n += 1
                rows.append([str(n), p.name, p.title or "", p.unit, award_name])
    ind = sum(1 for p in people if p.kind == "individual")
    rows.append({"total": f"Tổng cộng: {counts_phrase(ind, len(people) - ind)}"})
    return {"type": "table", "columns": LIST_COLUMNS, "widths": LIST_WIDTHS, "rows": rows}


def award_summary(people: list[Nominee]) -> list[dict]:
    """"- Bằng khen của Thủ tướng Chính phủ: 02 cá nhân và 01 tập thể;" per award."""
    out = []
    for _code, award_name, kinds in grouped(people):
        ind = sum(len(m) for k, m in kinds if k == "individual")
        col = sum(len(m) for k, m in kinds if k == "collective")
        out.append({"type": "para", "text": f"- {award_name}: {counts_phrase(ind, col)};"})
    return out


# --- the dossier's papers ------------------------------------------------------------------

def dossier_day(d: Dossier, now: datetime) -> date:
    return local_date(d.submitted_at or now)


def _dossier_people(s: Session, tree: OrgTree, d: Dossier) -> list[Nominee]:
    q = (select(Nomination).join(DossierNomination, DossierNomination.nomination_id == Nomination.id)
         .where(DossierNomination.dossier_id == d.id).order_by(DossierNomination.position, Nomination.id))
    return nominees(s, tree, list(s.execute(q).scalars()))


def dossier_votes(s: Session, d: Dossier) -> list[CouncilVote]:
    """The latest tally of each of the dossier's nominees by the council of the dossier's own
    organisation: a unit's tờ trình carries its unit council's minutes even after the ministry's
    council voted the same list, and the ministry's tờ trình carries the ministry council's."""
    listed = select(DossierNomination.nomination_id).where(DossierNomination.dossier_id == d.id)
    rows = s.execute(select(CouncilVote).where(
        CouncilVote.nomination_id.in_(listed),
        or_(CouncilVote.org_id == d.org_id, and_(CouncilVote.org_id.is_(None), CouncilVote.dossier_id == d.id)))
        .order_by(CouncilVote.nomination_id, CouncilVote.recorded_at, CouncilVote.id)).scalars()
    latest: dict[int, CouncilVote] = {}
    for v in rows:
        latest[v.nomination_id] = v
    return list(latest.values())


def _addressee(tree: OrgTree, d: Dossier) -> str:
    to = tree.get(d.addressed_org_id)
    if to is None:
        return ""
    return f"{head_title(to).capitalize()} {to.name}" if to.level == "ministry" else to.name


def to_trinh(s: Session, tree: OrgTree, d: Dossier, now: datetime) -> dict:
    """Tờ trình đề nghị khen thưởng (Mẫu số 01, Phụ lục NĐ 152/2025/NĐ-CP)."""
    org = tree.get(d.org_id)
    assert org is not None
    day = dossier_day(d, now)
    plan = s.get(Plan, d.plan_id)
    people = _dossier_people(s, tree, d)
    votes = dossier_votes(s, d)
    addressee = _addressee(tree, d)
    blocks: list[dict] = [{"type": "para", "text": f"Căn cứ {c};"} for c in citations_on(day)]
    if plan:
        about = plan.title[len("Kế hoạch "):] if plan.title.lower().startswith("kế hoạch ") else plan.title
        blocks.append({"type": "para", "text": f"Căn cứ Kế hoạch số {plan.number} về {about};"})
    if votes:
        met = local_date(max(v.recorded_at for v in votes))
        blocks.append({"type": "para", "text": f"Căn cứ kết quả bình xét của Hội đồng Thi đua - Khen thưởng "
                                               f"{org.name} (Biên bản họp {nd30.date_words(met)});"})
    blocks.append({"type": "para", "text": f"{org.name} kính trình {addressee or 'cấp có thẩm quyền'} xem xét, "
                                           f"khen thưởng cho {counts_phrase(*_split(people))} "
                                           "đã có thành tích xuất sắc, cụ thể:"})
    blocks.extend(award_summary(people))
    blocks.append({"type": "para", "text": "(Có danh sách và hồ sơ kèm theo)", "italic": True})
    blocks.append({"type": "para", "text": f"Kính trình {addressee or 'cấp có thẩm quyền'} xem xét, quyết định./."})
    return {"kind": "to-trinh", "filename": f"to-trinh-{_slug(d.number)}",
            "heading": heading(s, tree, org, d.number, day), "title": "TỜ TRÌNH",
            "subject": "Về việc đề nghị khen thưởng" + (f" theo Kế hoạch số {plan.number}" if plan else ""),
            "addressee": f"Kính gửi: {addressee}" if addressee else "", "blocks": blocks,
            "signatures": [signer_block(head_title(org), leader_name(s, org))],
            "recipients": ["Như trên;", "Lưu: VT, TĐKT."]}


def danh_sach(s: Session, tree: OrgTree, d: Dossier, now: datetime) -> dict:
    """Danh sách đề nghị khen thưởng, attached to the tờ trình."""
    org = tree.get(d.org_id)
    assert org is not None
    day = dossier_day(d, now)
    people = _dossier_people(s, tree, d)
    return {"kind": "danh-sach", "filename": f"danh-sach-{_slug(d.number)}", "landscape": True,
            "heading": heading(s, tree, org, None, day) | {"number": "", "place_date": ""},
            "title": "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
            "subject": f"(Kèm theo Tờ trình số {d.number} {nd30.date_words(day)} của {org.name})",
            "blocks": [list_table(people)], "signatures": [], "recipients": []}


def bien_ban(s: Session, tree: OrgTree, d: Dossier, now: datetime) -> dict | None:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng with the ballot's result; None before a vote."""
    votes = dossier_votes(s, d)
    if not votes:
        return None
    org = tree.get(d.org_id)
    assert org is not None
    met = local_date(max(v.recorded_at for v in votes))
    people = {p.id: p for p in _dossier_people(s, tree, d)}
    members = max(v.members for v in votes)
    present = max(v.present for v in votes)
    rows: list = []
    for i, v in enumerate(sorted(votes, key=lambda v: list(people).index(v.nomination_id)
                                 if v.nomination_id in people else v.nomination_id), start=1):
        p = people.get(v.nomination_id)
        share = f"{100 * v.yes / v.members:.2f}".replace(".", ",") + "%"
        rows.append([str(i), p.name if p else f"#{v.nomination_id}", p.award_name if p else "", str(v.yes),
                     str(v.no), share, "Đạt" if v.passed else "Không đạt"])
    passed = sum(1 for v in votes if v.passed)
    rows.append({"total": f"Đạt: {passed:02d}; không đạt: {len(votes) - passed:02d}"})
    secretary = s.execute(select(User.full_name).where(User.org_id == org.id, User.role == "council_secretary")
                          .order_by(User.id).limit(1)).scalar() or ""
    blocks = [
        {"type": "para", "text": f"Hôm nay, {nd30.date_words(met)}, tại {org.name}, Hội đồng Thi đua - Khen thưởng "
                                 f"{org.name} họp xét đề nghị khen thưởng theo hồ sơ số {d.number}."},
        {"type": "para", "text": f"Tổng số thành viên Hội đồng: {members:02d}; số thành viên tham gia biểu quyết "
                                 f"(kể cả ý kiến bằng văn bản): {present:02d}; vắng: {members - present:02d}."},
        {"type": "para", "text": "Hội đồng đã bỏ phiếu kín; tỷ lệ phiếu đồng ý tính trên tổng số thành viên "
                                 "Hội đồng. Kết quả như sau:"},
        {"type": "table", "columns": ["STT", "Họ và tên / Tên tập thể", "Hình thức khen thưởng", "Đồng ý",
                                      "Không đồng ý", "Tỷ lệ đồng ý", "Kết quả"],
         "widths": [7, 27, 26, 9, 10, 11, 10], "rows": rows},
        {"type": "para", "text": "Biên bản được lập thành 02 bản và được các thành viên dự họp thông qua./."},
    ]
    return {"kind": "bien-ban", "filename": f"bien-ban-{_slug(d.number)}",
            "heading": heading(s, tree, org, None, met) | {"number": ""},
            "title": "BIÊN BẢN", "subject": "Họp Hội đồng Thi đua - Khen thưởng xét đề nghị khen thưởng",
            "blocks": blocks,
            "signatures": [signer_block("THƯ KÝ HỘI ĐỒNG", secretary),
                           signer_block("CHỦ TỊCH HỘI ĐỒNG", leader_name(s, org))],
            "recipients": []}


# --- the decision and its certificates -----------------------------------------------------

def decision_people(s: Session, tree: OrgTree, dec: Decision) -> list[Nominee]:
    noms = s.execute(select(Nomination).where(Nomination.decision_id == dec.id).order_by(Nomination.id)).scalars()
    return nominees(s, tree, list(noms))


def quyet_dinh(s: Session, tree: OrgTree, dec: Decision) -> dict:
    """Quyết định khen thưởng: căn cứ, Điều 1–3, Nơi nhận, and the list attached to it."""
    org = tree.get(dec.org_id)
    assert org is not None
    people = decision_people(s, tree, dec)
    auth = authority_of(org, dec.on_behalf_of)
    blocks: list[dict] = [{"type": "para", "text": auth.authority, "bold": True, "center": True}]
    blocks += [{"type": "para", "text": f"Căn cứ {c};", "italic": True} for c in citations_on(dec.decided_on)]
    for number, day, sender in _submissions(s, tree, dec):
        blocks.append({"type": "para", "text": f"Xét đề nghị của {sender} tại Tờ trình số {number} "
                                               f"{nd30.date_words(day)};", "italic": True})
    if _voted(s, dec):
        blocks.append({"type": "para", "text": "Theo đề nghị của Hội đồng Thi đua - Khen thưởng.", "italic": True})
    blocks.append({"type": "para", "text": "QUYẾT ĐỊNH:", "bold": True, "center": True})
    ind, col = _split(people)
    awards = "; ".join(name for _c, name, _k in grouped(people)) or "khen thưởng"
    blocks.append({"type": "para", "text": f"Điều 1. Tặng {awards} cho {counts_phrase(ind, col)} "
                                           "(có danh sách kèm theo) đã có thành tích xuất sắc.",
                   "lead": "Điều 1."})
    blocks.append({"type": "para", "text": "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.",
                   "lead": "Điều 2."})
    blocks.append({"type": "para", "text": "Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan "
                                           "và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                                           "Quyết định này./.", "lead": "Điều 3."})
    subtitle = (f"(Kèm theo Quyết định số {dec.number} {nd30.date_words(dec.decided_on)} "
                f"của {auth.issuer_phrase})")
    return {"kind": "quyet-dinh", "filename": f"quyet-dinh-{_slug(dec.number)}", "timestamp": _epoch(dec.decided_on),
            "heading": heading(s, tree, org, dec.number, dec.decided_on, issuer=auth.issuer),
            "title": "QUYẾT ĐỊNH", "subject": f"Về việc tặng {awards}", "blocks": blocks,
            "signatures": [signer_block(auth.signer_title, auth.signer_name(dec.signer), kt=auth.kt)],
            "recipients": ["Như Điều 3;", "Lưu: VT, TĐKT."],
            "annex": {"title": "DANH SÁCH KHEN THƯỞNG", "subtitle": subtitle, "table": list_table(people)}}


def certificates(s: Session, tree: OrgTree, dec: Decision, layout: dict) -> dict:
    """One page per awardee (Bằng khen, Giấy khen): wording, decision number and date, signer and,
    for a Bằng khen, its số sổ vàng (entry in the register of awards, Luật TĐKT 2022 Điều 84;
    NĐ 152/2025/NĐ-CP: the register number is printed on the certificate)."""
    org = tree.get(dec.org_id)
    assert org is not None
    auth = authority_of(org, dec.on_behalf_of)
    place = nd30.place_date(place_of(s, tree, org.id), dec.decided_on)
    pages = []
    for i, p in enumerate(decision_people(s, tree, dec), start=1):
        kind = "GIẤY KHEN" if p.award_code == "giay_khen" else "BẰNG KHEN"
        pages.append({
            "authority": auth.authority, "kind": kind, "award": p.award_name,
            "recipient": p.name, "detail": ", ".join(x for x in (p.title, p.unit) if x),
            "reason": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ",
            "place_date": place, "kt": auth.kt or "", "signer_title": auth.signer_title,
            "signer": auth.signer_name(dec.signer),
            "decision": f"Quyết định số {dec.number} {nd30.date_words(dec.decided_on)}",
            "register": f"Số sổ vàng: {i:04d}/{nd30.symbol_of(dec.number)}" if kind == "BẰNG KHEN" else "",
        })
    return {"kind": "certificates", "filename": f"bang-khen-{_slug(dec.number)}", "layout": layout,
            "pages": pages}


# --- helpers --------------------------------------------------------------------------------

def _epoch(day: date) -> int:
    """Noon of `day` in Hà Nội (05:00 UTC) as a Unix time: the date a PDF of that day carries."""
    return int(datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC).timestamp())


def _split(people: list[Nominee]) -> tuple[int, int]:
    ind = sum(1 for p in people if p.kind == "individual")
    return ind, len(people) - ind


def _submissions(s: Session, tree: OrgTree, dec: Decision) -> list[tuple[str, date, str]]:
    """The dossiers (tờ trình) that carried the decided nominations to the decider."""
    q = (select(Dossier).join(Nomination, Nomination.dossier_id == Dossier.id)
         .where(Nomination.decision_id == dec.id).distinct().order_by(Dossier.id))
    out = []
    for d in s.execute(q).scalars():
        org = s.get(OrgUnit, d.org_id)
        out.append((d.number, local_date(d.submitted_at or d.created_at), org.name if org else ""))
    return out


def _voted(s: Session, dec: Decision) -> bool:
    q = select(CouncilVote.id).join(Nomination, Nomination.id == CouncilVote.nomination_id) \
        .where(Nomination.decision_id == dec.id).limit(1)
    return s.execute(q).first() is not None


def _slug(number: str) -> str:
    """A file name from a number: "45/TTr-VTC" → "45-TTr-VTC"; "1234/QĐ-TTg" → "1234-QD-TTg"."""
    out = number.replace("Đ", "D").replace("đ", "d")
    return "".join(c if c.isascii() and (c.isalnum() or c in "-.") else "-" for c in out).strip("-") or "van-ban"
