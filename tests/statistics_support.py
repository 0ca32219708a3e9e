"""Awards over two years in a ministry's unit (VTC) and a province's unit, made through the
procedure itself, for the statistics tests to count on their own."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.scenarios import act, draft, drive_to


@dataclass(frozen=True)
class Made:
    unit: str           # "vtc" (under Bộ KH&CN) or "tinh" (under UBND tỉnh)
    award: str
    kind: str           # individual | collective
    decided: date


# (unit, award, kind, decision date): the awards this test makes.
PLAN = [
    ("vtc", "bang_khen_bo", "individual", date(2026, 11, 20)),
    ("vtc", "bang_khen_bo", "individual", date(2026, 11, 20)),
    ("vtc", "bang_khen_bo", "collective", date(2026, 11, 20)),
    ("vtc", "bang_khen_bo", "individual", date(2025, 12, 10)),   # calendar 2025, report period 2026
    ("vtc", "bang_khen_bo", "individual", date(2025, 6, 10)),    # 2025 either way
    ("vtc", "bang_khen_thu_tuong", "individual", date(2026, 11, 23)),
    ("vtc", "chien_si_thi_dua_co_so", "individual", date(2026, 11, 23)),
    ("tinh", "bang_khen_thu_tuong", "collective", date(2026, 11, 23)),
    ("tinh", "bang_khen_bo", "individual", date(2026, 11, 21)),
]
DECIDER = {("vtc", "bang_khen_bo"): ("ministry_decision", "bo.lanhdao"),
           ("tinh", "bang_khen_bo"): ("ministry_decision", "tinh.lanhdao"),
           ("vtc", "bang_khen_thu_tuong"): ("central_decision", "tw.lanhdao"),
           ("tinh", "bang_khen_thu_tuong"): ("central_decision", "tw.lanhdao"),
           ("vtc", "chien_si_thi_dua_co_so"): ("unit_review", "vtc.thutruong")}


def make_awards(db, users, plan) -> list[Made]:
    made = []
    for i, (unit, award, kind, decided) in enumerate(PLAN):
        at = datetime(decided.year, decided.month, decided.day, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
        n = draft(db, users, plan, award=award, kind=kind, officer=f"{unit}.canbo",
                  name=f"Phòng {i}" if kind == "collective" else f"Nguyễn Văn {i}", now=at)
        state, leader = DECIDER[(unit, award)]
        drive_to(db, users, n.id, state, unit=unit, ministry="bo" if unit == "vtc" else "tinh", now=at)
        act(db, users, leader, n.id, "decide", now=at,
            decision={"number": f"{100 + i}/QĐ-TK", "date": decided.isoformat()})
        made.append(Made(unit, award, kind, decided))
    # One that never got an award, to be left out of every figure.
    refused = draft(db, users, plan, award="bang_khen_bo", name="Người không đạt")
    drive_to(db, users, refused.id, "ministry_review")
    act(db, users, "bo.chuyenvien", refused.id, "reject", reason="Chưa đủ tiêu chuẩn.")
    return made


def in_report_period(d: date, year: int) -> bool:
    """The circular's period of the statistics of year `year`: 01/12 of the year before to 30/11."""
    return date(year - 1, 12, 1) <= d <= date(year, 11, 30)
