"""A plan read from its own text (workflow/plans/reading.py): the five seed plans as received, and
the ways plans are written that the seeds do not show."""
from pathlib import Path

import pytest

from workflow.plans.reading import fold, read_plan

SEEDS = Path(__file__).resolve().parents[2] / "workflow" / "demo" / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def plan_of(text: str) -> dict:
    return read_plan(text).to_dict()["plan"]


def warnings_of(text: str) -> list[dict]:
    return read_plan(text).to_dict()["warnings"]


def milestones(plan: dict) -> list[tuple]:
    return [(m["text"], m["purpose"], [(p["start"], p["end"]) for p in m["periods"]]) for m in plan["milestones"]]


def test_seed_003_units_report_before_the_second_quarter_and_send_their_plans_before_august():
    plan = plan_of(seed("003"))
    assert milestones(plan) == [
        ("trước quý II năm 2015", "report", [(None, "2015-03-31")]),
        ("trước quý II năm 2015", "report", [(None, "2015-03-31")]),
        ("trong quý III năm 2015", "event", [("2015-07-01", "2015-09-30")]),
        ("trước tháng 8 năm 2014", "report", [(None, "2014-07-31")]),
    ]
    # Each milestone keeps the sentence and the line it came from, and who it binds.
    first, vnpt, congress, plans = plan["milestones"]
    assert first["line"] == 41 and "báo cáo kết quả về Bộ" in first["sentence"]
    assert vnpt["binds"] == "Tập đoàn Bưu chính Viễn thông Việt Nam"
    assert congress["binds"] == "Bộ Thông tin và Truyền thông"
    assert plans["binds"] == "Các đơn vị" and plans["line"] == 79
    assert plan["kind"] == "congress"
    assert plan["title"] == "Tổ chức Đại hội Thi đua và Hội nghị điển hình tiên tiến các cấp"
    assert plan["parent"] == {"number": "13/KH-HĐTĐKT", "date": "2014-06-03",
                              "issuer": "Hội đồng Thi đua – Khen thưởng Trung ương", "line": 7}
    assert [b["text"][:24] for b in plan["basis"]] == ["Thực hiện Chỉ thị số 34-", "Căn cứ Kế hoạch số 13/KH"]


def test_seed_003_states_no_number_date_or_issuer_and_the_reader_says_so_instead_of_guessing():
    plan = plan_of(seed("003"))
    assert (plan["number"], plan["issued_on"], plan["issued_text"], plan["issuer"]) == (None, None, None, None)
    messages = [w["message_en"] for w in warnings_of(seed("003"))]
    assert any("number" in m for m in messages)
    assert any("date of issue" in m for m in messages)
    assert any("issuing body" in m for m in messages)
    # The history it recalls ("tổ chức vào năm 2010", "giai đoạn 2011-2015") is not a deadline.
    assert all("2010" not in m["text"] and "2011" not in m["text"] for m in plan["milestones"])


def test_seed_001_from_now_to_the_end_of_june_and_the_expected_conference_before_11_june():
    plan = plan_of(seed("001"))
    assert milestones(plan) == [
        ("từ nay đến hết tháng 6 năm 2023", "event", [(None, "2023-06-30")]),
        ("Dự kiến trước ngày 11/6/2023", "event", [(None, "2023-06-10")]),
    ]
    assert [m["expected"] for m in plan["milestones"]] == [False, True]
    assert [m["line"] for m in plan["milestones"]] == [29, 31]
    # A blank number and a blank day stay blank.
    assert plan["number"] == "/KH-BTTTT"
    assert plan["issued_on"] is None and plan["issued_text"] == "Hà Nội, ngày tháng năm 2023"
    assert plan["issuer"] == "BỘ THÔNG TIN VÀ TRUYỀN THÔNG" and plan["place"] == "Hà Nội"
    assert plan["parent"] is None  # its basis is a Quyết định, not a plan
    assert plan["recipients"][3] == "Các Sở TTTT, Các cơ quan, đơn vị, Doanh nghiệp thuộc Bộ TTTT"


def test_seed_000_awards_at_the_end_of_2024_and_2025_and_nominations_in_2025():
    plan = plan_of(seed("000"))
    assert milestones(plan) == [
        ("vào cuối năm 2024 và 2025", "event", [(None, "2024-12-31"), (None, "2025-12-31")]),
        ("vào năm 2025", "submission", [("2025-01-01", "2025-12-31")]),
    ]
    assert plan["number"] == "/KH-BTTTT" and plan["issued_text"] == "Hà Nội, ngày tháng 5 năm 2024"
    assert plan["parent"]["number"] == "789/KH-UBTVQH15" and plan["parent"]["date"] == "2024-04-17"
    assert [(a["text"], a["award_type"]) for a in plan["award_forms"]] == [
        ("Bằng khen của Thủ tướng Chính phủ", "bang_khen_thu_tuong"),
        ("Bằng khen Ủy ban Thường vụ Quốc hội", "bang_khen_ubtvqh"),
        ("Bằng khen của Bộ trưởng Thông tin và Truyền thông", "bang_khen_bo"),
    ]
    assert plan["assignments"][0]["unit"] == "Vụ Tổ chức cán bộ"
    assert plan["recipients"][-1] == "Lưu: VT, TCCB, VMH (05)."


def test_seed_004_the_campaign_runs_from_1_january_2024_to_6_january_2026():
    plan = plan_of(seed("004"))
    assert plan["period"] == {"start": "2024-01-01", "end": "2026-01-06",
                              "text": "từ ngày 01/01/2024 đến ngày 06/01/2026", "line": 69}
    assert milestones(plan) == [
        ("từ ngày 01/01/2024 đến ngày 06/01/2026", "event", [("2024-01-01", "2026-01-06")]),
        ("năm 2025", "submission", [("2025-01-01", "2025-12-31")]),
        ("vào dịp 06/01/2026", "event", [("2026-01-06", "2026-01-06")]),
    ]
    assert (plan["number"], plan["issued_on"], plan["place"]) == ("186/KH-UBND", "2024-10-09", "Thái Nguyên")
    assert plan["parent"] == {"number": "789/KH-UBTVQH15", "date": "2024-04-17",
                              "issuer": "Ủy ban Thường vụ Quốc hội", "line": 11}
    assert [(a["award_type"], a["line"]) for a in plan["award_forms"]] == [
        ("giay_khen", 81), ("bang_khen_thu_tuong", 85), ("bang_khen_bo", 87), ("giay_khen", 89)]
    assert plan["kind"] == "thematic"


def test_seed_002_names_no_date_to_meet_and_its_receiving_stamp_is_not_its_number():
    plan = plan_of(seed("002"))
    assert plan["milestones"] == []
    assert (plan["number"], plan["issued_on"]) == ("3793/KH-BTTTT", "2020-10-02")
    assert plan["issuer"] == "BỘ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert plan["title"] == ("Tuyên truyền Đại hội Thi đua yêu nước Bộ Thông tin và Truyền thông "
                             "lần thứ IV (2020 - 2025)")
    assert any(w["message_en"] == "No dated milestone found in the plan" for w in warnings_of(seed("002")))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_seed_takes_a_citation_an_anniversary_or_a_period_name_for_a_milestone(prefix):
    for m in plan_of(seed(prefix))["milestones"]:
        f = fold(m["text"])
        assert "1946" not in f and "1948" not in f and "giai doan" not in f
        assert not any(c in m["text"] for c in "()“”")


HEADED = """UBND TỈNH THÁI NGUYÊN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc
Số: 12/KH-SNV\tThái Nguyên, ngày 15 tháng 01 năm 2025

KẾ HOẠCH
Công tác thi đua, khen thưởng năm 2025

Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2022;
Căn cứ Kế hoạch số 05/KH-UBND ngày 06/01/2025 của UBND tỉnh Thái Nguyên về công tác thi đua, khen thưởng năm 2025;
Sở Nội vụ xây dựng Kế hoạch như sau:

I. HÌNH THỨC KHEN THƯỞNG
- Danh hiệu Chiến sĩ thi đua cơ sở, Lao động tiên tiến;
- Bằng khen của Tổng Liên đoàn Lao động Việt Nam.

II. TỔ CHỨC THỰC HIỆN
1. Các phòng, đơn vị thuộc Sở gửi hồ sơ đề nghị khen thưởng về Văn phòng Sở chậm nhất ngày 30/11/2025.
2. Văn phòng Sở tổng hợp, báo cáo Giám đốc Sở trước ngày 15/12 hằng năm.
"""


def test_a_heading_in_two_columns_gives_the_issuer_its_parent_body_number_place_and_date():
    plan = plan_of(HEADED)
    assert (plan["issuer"], plan["issuer_parent"]) == ("SỞ NỘI VỤ", "UBND TỈNH THÁI NGUYÊN")
    assert (plan["number"], plan["place"], plan["issued_on"]) == ("12/KH-SNV", "Thái Nguyên", "2025-01-15")
    assert plan["kind"] == "annual"
    assert plan["parent"]["number"] == "05/KH-UBND" and plan["parent"]["issuer"] == "UBND tỉnh Thái Nguyên"
    # "Luật ... ngày 15/6/2022" is a citation, not a milestone.
    assert milestones(plan) == [
        ("chậm nhất ngày 30/11/2025", "submission", [(None, "2025-11-30")]),
        ("trước ngày 15/12 hằng năm", "report", [(None, "2025-12-14")]),
    ]
    assert plan["milestones"][0]["binds"] == "Các phòng, đơn vị thuộc Sở"
    assert plan["milestones"][1]["recurring"] == "yearly"


def test_an_award_form_the_catalogue_does_not_know_is_kept_as_written_without_a_code():
    proposal = read_plan(HEADED).to_dict()
    forms = [(a["text"], a["award_type"]) for a in proposal["plan"]["award_forms"]]
    assert forms == [("Chiến sĩ thi đua cơ sở", "chien_si_thi_dua_co_so"), ("Lao động tiên tiến", "lao_dong_tien_tien"),
                     ("Bằng khen của Tổng Liên đoàn Lao động Việt Nam", None)]
    assert any(w["text"] == "Bằng khen của Tổng Liên đoàn Lao động Việt Nam" for w in proposal["warnings"])


def test_an_unreadable_deadline_is_a_warning_on_its_line_not_a_milestone():
    text = "Số: 3/KH-X\nHà Nội, ngày 02 tháng 3 năm 2025\nKẾ HOẠCH\nThi đua chuyên đề\n\n" \
           "I. THỜI GIAN\nCác đơn vị báo cáo đến tháng 6 năm 2025.\n"
    proposal = read_plan(text).to_dict()
    assert proposal["plan"]["milestones"] == []
    [w] = [w for w in proposal["warnings"] if w["text"] == "đến tháng 6 năm 2025"]
    assert w["line"] == 7 and "đến hết" in w["message"]


def test_folding_keeps_every_character_in_place():
    text = "Ủy ban Nhân dân – Đắk Lắk, ngày 09 tháng 10 năm 2024"
    assert len(fold(text)) == len(text)
    assert fold(text) == "uy ban nhan dan - dak lak, ngay 09 thang 10 nam 2024"
