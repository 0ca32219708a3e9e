"""Applying the rules (workflow/people/rules.py) to a nomination: pass / fail / unknown, explained.

The facts are read once: the nominee's history (imported records and the product's own
decisions), yearly ratings, discipline periods and the person's other nominations in the plan.
"Recorded" means the unit has entered any history or rating for the person: from then on an
absent title counts as not received (fail); before, it is unknown. Unknowns never block; the
unit may attest on submit (`attest`), and the audit event keeps the attestation.
"""
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from states.lifecycle import EXPIRED, REJECTED, TERMINAL_STATES, WITHDRAWN
from workflow import validation as v
from workflow.access.loading import load_actor
from workflow.calendar.workdays import local_date
from workflow.kernel.db import Database
from workflow.models import AwardType, Nomination, Person, PersonRating
from workflow.nominations.queries import load_visible
from workflow.orgs.tree import org_tree
from workflow.people.errors import Ineligible
from workflow.errors import InvalidInput
from workflow.people import identity, register
from workflow.people.register import disciplines_of, histories_of as history_map
from workflow.people.settings import office_rules
from workflow.people.rules import Rule, rules_for
from workflow.people.views import Check, Eligibility, HistoryEntry

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
TITLE_KIND = "thuong_xuyen"  # danh hiệu thi đua; every other kind is a hình thức khen thưởng
MAX_ATTEST = 2000


@dataclass(frozen=True)
class Facts:
    nomination: Nomination
    person: Person
    year: int            # the year whose achievements are considered (năm xét)
    today: date
    history: list[HistoryEntry]
    ratings: dict[int, str]
    discipline: list[dict]
    others: list   # the person's other live nominations in the same plan (id, award_code)
    kinds: dict[str, str | None]  # award code → kind (loại hình)
    names: dict[str, str]

    @property
    def recorded(self) -> bool:
        return bool(self.history or self.ratings)

    def cleared_after(self) -> int:
        """The last year of a discipline period: achievements count only after it (ND 152 Art. 4)."""
        ends = [(d["to"] or self.today).year for d in self.discipline]
        return max(ends, default=0)

    def awards(self, codes: tuple[str, ...]) -> list[HistoryEntry]:
        return [h for h in self.history if h.kind == "award" and h.award_type in codes]


Result = tuple[str, str, str]


def _no_discipline(f: Facts, rule: Rule) -> Result:
    for d in f.discipline:
        if d["from"] <= f.today and (d["to"] is None or d["to"] >= f.today):
            until = f"{d['to']:%d/%m/%Y}" if d["to"] else "nay"
            return (FAIL, f"Đang trong thời hạn kỷ luật ({d['from']:%d/%m/%Y} – {until}): {d['reason']}",
                    f"Under discipline ({d['from'].isoformat()} – {d['to'] or 'open'}): {d['reason']}")
    return PASS, "Không có kỷ luật đang thi hành", "No discipline in force"


def _ladder_years(f: Facts, codes: tuple[str, ...]) -> tuple[list[int], list[HistoryEntry]]:
    """Years of công trạng awards of `codes` after any discipline; and what was left out."""
    counted, excluded = [], []
    after = f.cleared_after()
    for h in f.awards(codes):
        if h.basis != "cong_trang" or h.year <= after:
            excluded.append(h)
        else:
            counted.append(h.year)
    return sorted(set(counted)), excluded


def _consecutive(f: Facts, rule: Rule) -> Result:
    codes, times, gap = tuple(rule.params["of"]), rule.params["times"], rule.params["gap"]
    years, excluded = _ladder_years(f, codes)
    run: list[int] = []
    for y in years:
        run = run + [y] if run and y - run[-1] <= gap else [y]
    recent = run if run and run[-1] >= f.year - 1 else []
    name = f.names.get(codes[0], codes[0])
    note_vi = note_en = ""
    if excluded:
        note_vi = f"; không tính {len(excluded)} lần khen đột xuất/chuyên đề hoặc trong thời gian kỷ luật " + \
            f"({', '.join(str(h.year) for h in excluded)})"
        note_en = f"; {len(excluded)} ad hoc / thematic award(s) or award(s) under discipline not counted"
    if len(recent) >= times:
        return (PASS, f"Đạt {name} {len(recent)} lần liên tục ({', '.join(map(str, recent))}){note_vi}",
                f"{name} {len(recent)} times in a row ({', '.join(map(str, recent))}){note_en}")
    if not f.recorded:
        return (UNKNOWN, f"Chưa có quá trình khen thưởng được ghi nhận: cần {times} lần liên tục đạt {name}",
                f"No recorded history: {times} consecutive {name} needed")
    got = ", ".join(map(str, recent)) if recent else "không có"
    return (FAIL, f"Cần {times} lần liên tục đạt {name}, hồ sơ ghi nhận {len(recent)} lần liên tục "
            f"gần nhất ({got}){note_vi}",
            f"{times} consecutive {name} needed; the record shows {len(recent)} ({got or 'none'}){note_en}")


def _grassroots_fighter(f: Facts, rule: Rule) -> Result:
    y = f.year
    rating = f.ratings.get(y)
    if rating == "htxs":
        return PASS, f"Xếp loại hoàn thành xuất sắc nhiệm vụ năm {y}", f"Rated 'completed with excellence' in {y}"
    if rating in ("ht", "khong_ht"):
        return (FAIL, f"Xếp loại năm {y} dưới mức hoàn thành tốt nhiệm vụ: chưa đạt tiêu chuẩn Lao động tiên tiến",
                f"The {y} rating is below 'completed well': the Advanced Worker standard is not met")
    meets_ldtt = rating == "ht_tot" or any(h.year == y for h in f.awards(("lao_dong_tien_tien",)))
    initiatives = [h for h in f.history if h.kind == "initiative"]
    usable = [h for h in initiatives if h.year == y]
    free = [h for h in usable if not h.used_for or h.used_for == f.nomination.award_code]
    if not meets_ldtt:
        return (UNKNOWN, f"Chưa có xếp loại năm {y} hoặc danh hiệu Lao động tiên tiến năm {y}",
                f"No {y} rating or Advanced Worker title recorded")
    if free:
        return (PASS, f"Đạt tiêu chuẩn Lao động tiên tiến và có sáng kiến năm {y}: {free[0].title}",
                f"Meets the Advanced Worker standard and has a {y} initiative: {free[0].title}")
    if usable:
        return (FAIL, f"Sáng kiến năm {y} đã được dùng làm căn cứ khen thưởng khác; mỗi sáng kiến chỉ tính một lần",
                f"The {y} initiative already grounded another award; an initiative counts once")
    if initiatives:
        return (FAIL, f"Không xếp loại hoàn thành xuất sắc và không có sáng kiến năm {y}",
                f"Neither 'completed with excellence' nor an initiative in {y}")
    return (UNKNOWN, f"Chưa ghi nhận sáng kiến năm {y} (hoặc tương đương)",
            f"No initiative (or equivalent) recorded for {y}")


def _one_form(f: Facts, rule: Rule) -> Result:
    mine = f.kinds.get(f.nomination.award_code)
    if mine == TITLE_KIND:
        return PASS, "Danh hiệu thi đua, không trùng hình thức khen thưởng", "An emulation title, no second form"
    for other in f.others:
        if f.kinds.get(other.award_code) != TITLE_KIND and other.award_code != f.nomination.award_code:
            name = f.names.get(other.award_code, other.award_code)
            return (FAIL, f"Cùng kế hoạch đã có hồ sơ #{other.id} đề nghị {name} cho cùng thành tích",
                    f"Nomination #{other.id} already proposes {name} in this plan for the same achievement")
    return PASS, "Không có hình thức khen thưởng khác cho cùng thành tích", "No other form for the same achievement"


def _prior_then_years(f: Facts, rule: Rule) -> Result:
    prior = f.awards(tuple(rule.params["prior"]))
    years, rating = rule.params["years"], rule.params["rating"]
    name = f.names.get(rule.params["prior"][0], rule.params["prior"][0])
    if not prior:
        if not f.recorded:
            return UNKNOWN, f"Chưa ghi nhận {name}", f"No {name} recorded"
        return FAIL, f"Chưa được tặng {name}", f"{name} not received"
    since = max(h.year for h in prior)
    needed = list(range(since + 1, since + 1 + years))
    rated = [y for y in needed if y in f.ratings]
    good = [y for y in rated if f.ratings[y] == rating]
    if len(good) == years:
        return PASS, f"{name} năm {since}, {years} năm tiếp theo đạt yêu cầu", f"{name} in {since}, then {years} years"
    if len(rated) == len(needed) or any(f.ratings[y] != rating for y in rated):
        return (FAIL, f"Sau {name} năm {since} chưa đủ {years} năm liên tục hoàn thành xuất sắc nhiệm vụ",
                f"After {name} in {since}, fewer than {years} years rated with excellence")
    return UNKNOWN, f"Chưa ghi nhận đủ xếp loại {years} năm sau {name} năm {since}", "Ratings not recorded"


def _interval(f: Facts, rule: Rule) -> Result:
    prior = f.awards(tuple(rule.params["prior"]))
    years = rule.params["years"]
    name = f.names.get(rule.params["prior"][0], rule.params["prior"][0])
    if not prior:
        return ((FAIL, f"Chưa được tặng {name}", f"{name} not received") if f.recorded
                else (UNKNOWN, f"Chưa ghi nhận {name}", f"No {name} recorded"))
    since = max(h.year for h in prior)
    if f.year - since >= years:
        return PASS, f"{name} năm {since}, đã đủ {years} năm", f"{name} in {since}: {years} years have passed"
    return (FAIL, f"{name} năm {since}: chưa đủ {years} năm", f"{name} in {since}: {years} years have not passed")


def _rating_label(code: str | None) -> tuple[str, str]:
    return register.RATINGS.get(code or "", (code or "—", code or "—"))


def _rating_in_year(f: Facts, rule: Rule) -> Result:
    """The yearly rating (xếp loại) of the year considered is one of `ratings`."""
    wanted = tuple(rule.params["ratings"])
    need_vi = " hoặc ".join(_rating_label(r)[0].lower() for r in wanted)
    need_en = " or ".join(_rating_label(r)[1].lower() for r in wanted)
    rating = f.ratings.get(f.year)
    if rating in wanted:
        return (PASS, f"Xếp loại năm {f.year}: {_rating_label(rating)[0].lower()}",
                f"Rated '{_rating_label(rating)[1].lower()}' in {f.year}")
    if rating is not None:
        return (FAIL, f"Xếp loại năm {f.year} là {_rating_label(rating)[0].lower()}; cần {need_vi}",
                f"Rated '{_rating_label(rating)[1].lower()}' in {f.year}; '{need_en}' is needed")
    return (UNKNOWN, f"Chưa ghi nhận xếp loại năm {f.year} (cần {need_vi})",
            f"No {f.year} rating recorded ('{need_en}' is needed)")


def _rated_run(f: Facts, rule: Rule) -> Result:
    """`years` consecutive years ending this year or last, each rated one of `ratings` or holding
    one of `titles` (công trạng only). One ground among several: a miss is unknown, not a refusal."""
    years, wanted = rule.params["years"], tuple(rule.params["ratings"])
    titled = set(_ladder_years(f, tuple(rule.params["titles"]))[0])
    good = {y for y, r in f.ratings.items() if r in wanted} | titled
    for end in (f.year, f.year - 1):
        if all(y in good for y in range(end - years + 1, end + 1)):
            run = ", ".join(str(y) for y in range(end - years + 1, end + 1))
            return (PASS, f"{years} năm liên tục hoàn thành xuất sắc nhiệm vụ hoặc Tập thể lao động xuất sắc ({run})",
                    f"{years} consecutive years rated with excellence or Excellent Labour Collective ({run})")
    return (UNKNOWN, f"Hồ sơ chưa cho thấy {years} năm liên tục hoàn thành xuất sắc nhiệm vụ hoặc Tập thể lao động "
            "xuất sắc; hội đồng xét các căn cứ khác của điều này",
            f"The record does not show {years} consecutive years rated with excellence; the council weighs the "
            "Article's other grounds")


CHECKS: dict[str, Callable[[Facts, Rule], Result]] = {
    "no_discipline": _no_discipline, "grassroots_fighter": _grassroots_fighter, "consecutive": _consecutive,
    "one_form": _one_form, "prior_then_years": _prior_then_years, "interval": _interval,
    "rating_in_year": _rating_in_year, "rated_run": _rated_run,
}
# What each rule is called on the pages (Vietnamese, English): never its code.
RULE_LABELS: dict[str, tuple[str, str]] = {
    "no_discipline": ("Không trong thời gian kỷ luật", "Not under discipline"),
    "cstd_co_so_standard": ("Tiêu chuẩn Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter standard"),
    "cstd_bo_ladder": ("03 lần liên tục Chiến sĩ thi đua cơ sở", "3 consecutive Grassroots Emulation Fighter titles"),
    "cstd_toan_quoc_ladder": ("02 lần liên tục Chiến sĩ thi đua bộ, ngành, tỉnh",
                              "2 consecutive Ministry / Provincial Emulation Fighter titles"),
    "one_form_per_achievement": ("Một thành tích, một hình thức", "One achievement, one form"),
    "bang_khen_thu_tuong_prior": ("Bằng khen Thủ tướng: đã có Bằng khen bộ, tỉnh và 05 năm hoàn thành xuất sắc",
                                  "PM's Certificate: a ministry certificate, then 5 years rated with excellence"),
    "huan_chuong_lao_dong_ba_prior": ("Huân chương Lao động hạng Ba: đã có Bằng khen Thủ tướng và 05 năm",
                                      "Labour Order, 3rd class: the PM's Certificate, then 5 years"),
    "huan_chuong_lao_dong_nhi_interval": ("Huân chương Lao động hạng Nhì: 05 năm sau hạng Ba",
                                          "Labour Order, 2nd class: 5 years after the 3rd"),
    "huan_chuong_lao_dong_nhat_interval": ("Huân chương Lao động hạng Nhất: 05 năm sau hạng Nhì",
                                           "Labour Order, 1st class: 5 years after the 2nd"),
    "tap_the_xuat_sac_rating": ("Tập thể lao động xuất sắc: hoàn thành xuất sắc nhiệm vụ trong năm",
                                "Excellent Labour Collective: rated with excellence that year"),
    "tap_the_tien_tien_rating": ("Tập thể lao động tiên tiến: hoàn thành tốt nhiệm vụ trong năm",
                                 "Advanced Labour Collective: rated well that year"),
    "co_thi_dua_rating": ("Cờ thi đua: hoàn thành xuất sắc nhiệm vụ trong năm",
                          "Emulation Flag: rated with excellence that year"),
    "bang_khen_bo_tap_the_run": ("Bằng khen bộ, tỉnh (tập thể): 02 năm liên tục hoàn thành xuất sắc",
                                 "Ministry certificate (collective): 2 consecutive years rated with excellence"),
}


def _award_rows(s: Session) -> Any:
    rows = s.info.get("people_award_rows")
    if rows is None:  # read once per transaction: a bulk submit checks many nominations
        rows = s.info["people_award_rows"] = s.execute(select(AwardType.code, AwardType.kind, AwardType.name_vi)).all()
    return rows


def facts_many(s: Session, pairs: list[tuple[Nomination, Person]], now: datetime) -> list[Facts]:
    """The facts of many nominations at once: one query per kind of fact, whatever the count
    (a tờ trình of 400 names, an inbox page)."""
    award_rows = _award_rows(s)
    kinds = {c: k for c, k, _ in award_rows}
    names = {c: n for c, _, n in award_rows}
    ids = {p.id for _, p in pairs if p.id}
    histories = history_map(s, ids)
    discipline = disciplines_of(s, ids)
    ratings: dict[int, dict[int, str]] = {}
    others: dict[tuple[int, int], list] = {}
    if ids:
        for pid, year, rating in s.execute(select(PersonRating.person_id, PersonRating.year, PersonRating.rating)
                                           .where(PersonRating.person_id.in_(sorted(ids)))).all():
            ratings.setdefault(pid, {})[year] = rating
        plans = sorted({n.plan_id for n, _ in pairs})
        for o in s.execute(select(Nomination.id, Nomination.person_id, Nomination.plan_id, Nomination.award_code)
                           .where(Nomination.person_id.in_(sorted(ids)), Nomination.plan_id.in_(plans),
                                  Nomination.state.not_in((REJECTED, WITHDRAWN, EXPIRED)))).all():
            others.setdefault((o.person_id, o.plan_id), []).append(o)
    today = local_date(now)
    return [Facts(nom, person, today.year, today, histories.get(person.id, []), ratings.get(person.id, {}),
                  discipline.get(person.id, []),
                  [o for o in others.get((person.id, nom.plan_id), []) if o.id != nom.id], kinds, names)
            for nom, person in pairs]


def facts_of(s: Session, nom: Nomination, person: Person, now: datetime) -> Facts:
    return facts_many(s, [(nom, person)], now)[0]


def _judge(facts: Facts, extra: frozenset[str]) -> Eligibility:
    checks = []
    for rule in rules_for(facts.nomination.award_code, facts.person.kind, extra):
        result, vi, en = CHECKS[rule.check](facts, rule)
        checks.append(Check(rule.code, result, vi, rule.basis, en))
    results = {c.result for c in checks}
    eligible = False if FAIL in results else None if UNKNOWN in results else True
    return Eligibility(eligible, checks, facts.person.id or None)  # 0: a name with no record yet


NOT_LINKED = Eligibility(None, [Check("register", UNKNOWN, "Hồ sơ đề nghị chưa gắn với hồ sơ cá nhân/tập thể",
                                      "—", "The nomination is not linked to a person's record")])


def evaluate(s: Session, nom: Nomination, now: datetime, person: Person | None = None) -> Eligibility:
    """The checks of one nomination, with the rules its unit's office turned on (settings.py)."""
    person = person or (s.get(Person, nom.person_id) if nom.person_id else None)
    if person is None:
        return NOT_LINKED
    return _judge(facts_of(s, nom, person, now), office_rules(s, nom.unit_id))


def evaluate_many(s: Session, noms: list, now: datetime) -> dict[int, Eligibility]:
    """The checks of many nominations (the rows of a tờ trình or a list page), batched: a fixed
    number of queries, not one per row. Nominations whose road has ended are left out."""
    live = [n for n in noms if n.state not in TERMINAL_STATES]
    linked = sorted({n.person_id for n in live if n.person_id})
    people = {p.id: p for p in s.execute(select(Person).where(Person.id.in_(linked))).scalars()} if linked else {}
    out = {n.id: NOT_LINKED for n in live if n.person_id not in people}
    pairs = [(n, people[n.person_id]) for n in live if n.person_id in people]
    for facts in facts_many(s, pairs, now):
        out[facts.nomination.id] = _judge(facts, office_rules(s, facts.nomination.unit_id))
    return out


def nomination_eligibility(db: Database, actor_id: int, nomination_id: int, *, now: datetime) -> Eligibility:
    with db.read() as s:
        actor = load_actor(s, actor_id)
        nom = load_visible(s, actor, org_tree(s), nomination_id)
        return evaluate(s, nom, now)


def preview(db: Database, actor_id: int, *, plan_id, award_type, nominee, now: datetime) -> Eligibility:
    """The checks of a nomination not yet saved (on the drafting form): the nominee's record when
    `nominee.person_id` is given or the name is one record of the caller's unit; a new name has
    no history yet, so its conditions are unknown."""
    if not isinstance(nominee, dict):
        raise InvalidInput("Thiếu thông tin người/tập thể được đề nghị", "Missing nominee", field="nominee")
    code = v.text(award_type, "award_type", max_len=60)
    plan = v.integer(plan_id, "plan_id", minimum=1, maximum=v.MAX_ID, required=False)
    kind = v.choice(nominee.get("kind", "individual"), "nominee.kind", ("individual", "collective"))
    with db.read() as s:
        actor, tree = load_actor(s, actor_id), org_tree(s)
        award = s.get(AwardType, code)
        if award is None:
            raise InvalidInput(f"Không có hình thức khen thưởng '{code}'", f"Unknown award type '{code}'",
                               field="award_type")
        person = None
        if nominee.get("person_id") is not None:
            person = register.load_visible(s, actor, tree, v.integer(nominee["person_id"], "nominee.person_id",
                                                                      minimum=1, maximum=v.MAX_ID))
        else:
            name = v.text(nominee.get("name"), "nominee.name", max_len=200)
            keys = identity.keys(name)
            same = s.execute(select(Person).where(Person.org_id == actor.org_id, Person.search_key == keys[
                "search_key"], Person.name_key == keys["name_key"], Person.kind == kind).limit(2)).scalars().all()
            person = same[0] if len(same) == 1 else Person(id=0, kind=kind, name=name, org_id=actor.org_id)
        draft = Nomination(id=0, award_code=award.code, plan_id=plan or 0, person_id=person.id,
                           unit_id=person.org_id or actor.org_id)
        return evaluate(s, draft, now, person)


def check_dict(c: Check) -> dict:
    return {"rule": c.rule, "result": c.result, "message": c.message, "message_en": c.message_en, "basis": c.basis}


def submit_check(s: Session, nom: Nomination, body: dict, now: datetime) -> dict:
    """At submit (trình): refuse a nomination the recorded history rules out (422 `ineligible`);
    otherwise the audit payload keeps the result, the unknowns and the unit's attestation."""
    attest = v.text(body.get("attest"), "attest", required=False, max_len=MAX_ATTEST, multiline=True)
    result = evaluate(s, nom, now)
    failed = [c for c in result.checks if c.result == FAIL]
    if failed:
        raise Ineligible("Không đủ điều kiện khen thưởng: " + "; ".join(c.message for c in failed),
                         "Not eligible: " + "; ".join(c.message_en for c in failed),
                         [check_dict(c) for c in result.checks])
    unknown = [c.rule for c in result.checks if c.result == UNKNOWN]
    out: dict = {"eligibility": {"eligible": result.eligible, "unknown": unknown}}
    if attest:
        out["attest"] = attest
    return out
