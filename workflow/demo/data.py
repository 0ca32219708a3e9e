"""Demo organisation, users and the five seed plans (shared/seeds), written down as data.

Plan texts, numbers and deadline phrases are quoted as they were issued; a blank number
stays blank ("/KH-BTTTT") and a blank day stays in `issued_text`.
"""
from datetime import date

# (code, name, kind, parent code, e-mail). Kinds: workflow/orgs/service.py.
ORGS = (
    ("TW", "Ban Thi đua - Khen thưởng Trung ương", "central", None, "bantdkt.tw@example.vn"),
    ("BTTTT", "Bộ Thông tin và Truyền thông", "ministry", "TW", "vu.tdkt@mic.example.vn"),
    ("UBND-TN", "UBND tỉnh Thái Nguyên (Sở Nội vụ - Ban Thi đua - Khen thưởng)", "province", "TW",
     "tdkt.snv@thainguyen.example.vn"),
    ("VTC", "Tổng công ty Truyền thông đa phương tiện (VTC)", "department", "BTTTT", "tdkt@vtc.example.vn"),
    ("CBC", "Cục Báo chí", "department", "BTTTT", "tdkt@cucbaochi.example.vn"),
    ("VPDBQH-TN", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "department", "UBND-TN", "vanphong@dbqh-tn.example.vn"),
    ("BKHCN", "Bộ Khoa học và Công nghệ", "ministry", "TW", "vu.tdkt@most.example.vn"),
    # A Sở whose head grants Giấy khen (Luật TĐKT 2022 Art. 80(1)), and a school under it.
    ("SGDDT-TN", "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên", "department", "UBND-TN", "tdkt@sgddt-tn.example.vn"),
    ("THPT-CTN", "Trường THPT Chuyên Thái Nguyên", "unit", "SGDDT-TN", "tdkt@thptchuyen-tn.example.vn"),
    # A commune of the two-level local government (from 01/07/2025); its chairman decides Giấy khen,
    # LĐTT, CSTĐCS (ND 129/2025/NĐ-CP Art. 59). Illustrative: no merger history is claimed for it.
    ("XA-PDP", "UBND phường Phan Đình Phùng", "commune", "UBND-TN", "ubnd@phandinhphung-tn.example.vn"),
)

# Mergers the demo records: (merged code, absorbing code, effective date).
# Bộ Thông tin và Truyền thông was merged into Bộ Khoa học và Công nghệ (Nghị quyết 176/2025/QH15 of
# 18/02/2025 on the Government's structure; Nghị định 55/2025/NĐ-CP of 02/03/2025 on the functions of
# Bộ KH&CN, in force from 01/03/2025 — https://dientuungdung.vn/co-cau-to-chuc-cua-bo-khoa-hoc-va-cong-nghe-sau-khi-hop-nhat-8176.html).
# The demo keeps VTC and Cục Báo chí under the merged ministry for simplicity (in reality press
# management passed to Bộ Văn hóa, Thể thao và Du lịch).
MERGERS = (("BTTTT", "BKHCN", date(2025, 3, 1)),)

# Council rosters (Hội đồng TĐKT, Luật TĐKT 2022 Art. 84): (org code, quorum, [(name, role)]).
# The first release's councils (VTC, Văn phòng Đoàn ĐBQH) keep no roster: their secretaries type the size.
COUNCILS = (
    ("XA-PDP", "2/3", (("Đinh Văn Tùng", "chair"), ("Lò Thị Hoa", "vice_chair"), ("Mai Văn Sơn", "secretary"),
                       ("Tạ Thị Hằng", "member"), ("Chu Văn Lực", "member"), ("Hà Thị Nga", "member"),
                       ("Vi Văn Hưng", "member"))),
    ("SGDDT-TN", "2/3", (("Phạm Văn Khánh", "chair"), ("Đoàn Thị Liên", "vice_chair"),
                         ("Lê Thị Phương", "secretary"), ("Nông Văn Bình", "member"), ("Kiều Thị Yến", "member"),
                         ("Triệu Văn Quân", "member"), ("Dương Thị Thu", "member"), ("Lục Văn Toàn", "member"),
                         ("Ma Thị Duyên", "member"))),
    ("BKHCN", "2/3", (("Phan Tâm", "chair"), ("Nguyễn Văn Thành", "vice_chair"), ("Đỗ Thị Lan", "member"),
                      ("Trần Thị Bích", "secretary"), ("Lý Văn Phúc", "member"), ("Võ Thị Hạnh", "member"),
                      ("Đặng Quốc Việt", "member"), ("Hồ Thị Kim", "member"), ("Tôn Thất Bảo", "member"),
                      ("Khúc Thị Vân", "member"))),
    # Hội đồng Thi đua - Khen thưởng Trung ương (Law Art. 90; NĐ 98/2023 Art. 47(2)): the Prime Minister
    # chairs; four vice-chairs (the Vice-President first, the Minister of Home Affairs standing, the
    # heads of the Fatherland Front and of the VGCL); members from central bodies. Sized as the
    # 2016-2020 term the Prime Minister approved: 1 chair, 4 vice-chairs, 13 members = 18
    # (xaydungdang.org.vn, "Thủ tướng Chính phủ phê duyệt thành viên Hội đồng Thi đua - Khen thưởng
    # Trung ương"). The names are illustrative, not the council's members. It meets with at least
    # 2/3 of its members, and on Anh hùng with at least 90 % (NĐ 98 Art. 47(4)(b)); the secretary is
    # the Ban TĐKT Trung ương's officer who records its sessions.
    ("TW", "2/3", (("Nguyễn Văn Chính", "chair"), ("Võ Thị Thịnh", "vice_chair"), ("Phạm Thị Trà", "vice_chair"),
                   ("Đỗ Văn Chiến", "vice_chair"), ("Nguyễn Đình Khang", "vice_chair"),
                   ("Lương Văn Cường", "member"), ("Trần Văn Sơn", "member"), ("Đào Ngọc Dũng", "member"),
                   ("Lê Khánh Hải", "member"), ("Lê Minh Hưng", "member"), ("Bùi Thị Minh", "member"),
                   ("Nguyễn Trọng Nghĩa", "member"), ("Trần Quốc Tỏ", "member"), ("Hà Thị Nguyệt", "member"),
                   ("Lương Quốc Đoàn", "member"), ("Nguyễn Văn Được", "member"), ("Nguyễn Anh Tuấn", "member"),
                   ("Cao Thị Hiền", "secretary"))),
    ("UBND-TN", "2/3", (("Nguyễn Huy Dũng", "chair"), ("Bế Thị Lan", "vice_chair"), ("Bùi Thị Huyền", "member"),
                        ("Hoàng Thị Ngọc", "secretary"), ("Lưu Văn Đạt", "member"), ("Mạc Thị Xuân", "member"),
                        ("Quách Văn Long", "member"), ("Giáp Thị Hường", "member"), ("Ông Văn Lâm", "member"),
                        ("Nông Thị Hạnh", "member"))),
)

# (username, full name, role, org code)
USERS = (
    ("admin", "Quản trị hệ thống", "admin", "TW"),
    ("vtc.canbo", "Nguyễn Thị Hương", "unit_officer", "VTC"),
    ("vtc.hoidong", "Trần Văn Minh", "council_secretary", "VTC"),
    ("vtc.thutruong", "Lê Quang Đức", "unit_head", "VTC"),
    ("baochi.canbo", "Phạm Thu Trang", "unit_officer", "CBC"),
    ("bo.chuyenvien", "Đỗ Thị Lan", "ministry_reviewer", "BTTTT"),
    ("bo.lanhdao", "Phan Tâm", "ministry_leader", "BTTTT"),
    ("tinh.canbo", "Hoàng Văn Nam", "unit_officer", "VPDBQH-TN"),
    ("tinh.hoidong", "Vũ Thị Mai", "council_secretary", "VPDBQH-TN"),
    ("tinh.thutruong", "Ngô Đức Thắng", "unit_head", "VPDBQH-TN"),
    ("tinh.chuyenvien", "Bùi Thị Huyền", "ministry_reviewer", "UBND-TN"),
    ("tinh.lanhdao", "Nguyễn Huy Dũng", "ministry_leader", "UBND-TN"),
    ("tw.chuyenvien", "Đặng Văn Hải", "central_reviewer", "TW"),
    ("tw.lanhdao", "Trịnh Minh Khoa", "central_leader", "TW"),
    ("kiemtra", "Lương Thị Thanh", "auditor", "BTTTT"),
    # Secretaries of the ministry's and the province's councils (Hội đồng TĐKT Bộ, tỉnh), who
    # record the ballots NĐ 98/2023 Art. 30(7) puts at that level.
    ("bo.hoidong", "Trần Thị Bích", "council_secretary", "BTTTT"),
    ("ubnd.hoidong", "Hoàng Thị Ngọc", "council_secretary", "UBND-TN"),
    # The secretary of the central council (Hội đồng TĐKT Trung ương), whose ballot on Anh hùng the
    # Ban TĐKT Trung ương records (NĐ 98/2023 Art. 41(1), 47(4)(b)).
    ("tw.hoidong", "Cao Thị Hiền", "council_secretary", "TW"),
    ("so.canbo", "Nông Thị Thảo", "unit_officer", "SGDDT-TN"),
    ("so.hoidong", "Lê Thị Phương", "council_secretary", "SGDDT-TN"),
    ("so.thutruong", "Phạm Văn Khánh", "unit_head", "SGDDT-TN"),
    ("xa.canbo", "Hà Văn Cường", "unit_officer", "XA-PDP"),
    ("xa.hoidong", "Mai Văn Sơn", "council_secretary", "XA-PDP"),
    ("xa.chutich", "Đinh Văn Tùng", "unit_head", "XA-PDP"),
)

THE_80_YEARS = ("“Kỷ niệm 80 năm Ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam” "
                "(06/01/1946 - 06/01/2026)")

SEED_PLANS = (
    {
        "seed": "000_35db0ce895c784a0.txt",
        "number": "/KH-BTTTT", "issuer": "BTTTT", "issued_on": None, "issued_text": "tháng 5 năm 2024",
        "title": f"Hưởng ứng Phong trào thi đua chào mừng {THE_80_YEARS}",
        "kind": "thematic", "parent_number": "789/KH-UBTVQH15",
        "basis": "Kế hoạch số 789/KH-UBTVQH15 ngày 17/4/2024 của Ủy ban Thường vụ Quốc hội khoá XV",
        "period_text": "06/01/1946 - 06/01/2026",
        "award_forms_text": ["Bằng khen của Thủ tướng Chính phủ", "Bằng khen Ủy ban Thường vụ Quốc hội",
                             "Bằng khen của Bộ trưởng Thông tin và Truyền thông"],
        "award_codes": ["bang_khen_thu_tuong", "bang_khen_bo", "giay_khen"],
        "milestones": [
            {"text": "vào cuối năm 2024 và 2025", "purpose": "event",
             "description": "Khen thưởng thường xuyên hằng năm theo thẩm quyền"},
            {"text": "vào năm 2025", "purpose": "submission",
             "description": "Khen thưởng tổng kết phong trào thi đua (thi đua chuyên đề)"},
        ],
    },
    {
        "seed": "001_3e5e2868d152ea62.txt",
        "number": "/KH-BTTTT", "issuer": "BTTTT", "issued_on": None, "issued_text": "năm 2023",
        "title": ("Tổ chức các hoạt động kỷ niệm 75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua "
                  "ái quốc (11/6/1948 - 11/6/2023) của Bộ Thông tin và Truyền thông"),
        "kind": "thematic", "parent_number": "368/QĐ-TTg",
        "basis": "Quyết định số 368/QĐ-TTg ngày 11/4/2023 của Thủ tướng Chính phủ",
        "period_text": "11/6/1948 - 11/6/2023",
        "award_forms_text": [], "award_codes": [],
        "milestones": [
            {"text": "từ nay đến hết tháng 6 năm 2023", "purpose": "event",
             "description": "Các cụm, khối thi đua đẩy mạnh phong trào thi đua"},
            {"text": "Dự kiến trước ngày 11/6/2023", "purpose": "event",
             "description": "Hội nghị gặp mặt, biểu dương các điển hình tiên tiến"},
        ],
    },
    {
        "seed": "002_8c1626df88a75efa.txt",
        "number": "3793/KH-BTTTT", "issuer": "BTTTT", "issued_on": date(2020, 10, 2), "issued_text": None,
        "issuer_name": "Ban Tổ chức Đại hội Thi đua yêu nước Bộ Thông tin và Truyền thông lần thứ IV",
        "title": "Tuyên truyền Đại hội Thi đua yêu nước Bộ Thông tin và Truyền thông lần thứ IV (2020 - 2025)",
        "kind": "ad_hoc", "parent_number": "937/QĐ-BTTTT",
        "basis": "Quyết định số 937/QĐ-BTTTT ngày 03/6/2020 của Bộ trưởng Bộ Thông tin và Truyền thông",
        "period_text": "2020 - 2025",
        "award_forms_text": [], "award_codes": [],
        "milestones": [
            {"text": "2020 - 2025", "purpose": "event",
             "description": "Tuyên truyền trước, trong và sau Đại hội Thi đua yêu nước lần thứ IV"},
        ],
    },
    {
        "seed": "003_f08f5b6d484586f6.txt",
        "number": "", "issuer": "BTTTT", "issued_on": None, "issued_text": "năm 2014",
        "title": "Tổ chức Đại hội Thi đua và Hội nghị điển hình tiên tiến các cấp",
        "kind": "thematic", "parent_number": "13/KH-HĐTĐKT",
        "basis": ("Kế hoạch số 13/KH-HĐTĐKT ngày 03/6/2014 của Hội đồng Thi đua – Khen thưởng Trung ương; "
                  "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị"),
        "period_text": "2011-2015",
        "award_forms_text": [], "award_codes": [],
        "milestones": [
            {"text": "trước tháng 8 năm 2014", "purpose": "report",
             "description": "Các đơn vị gửi kế hoạch tổ chức Đại hội Thi đua, Hội nghị điển hình tiên tiến về Bộ"},
            {"text": "trước quý II năm 2015", "purpose": "report",
             "description": "Hoàn thành Hội nghị điển hình tiên tiến và báo cáo kết quả về Bộ"},
            {"text": "trong quý III năm 2015", "purpose": "event",
             "description": "Đại hội Thi đua Bộ Thông tin và Truyền thông"},
        ],
    },
    {
        "seed": "004_e5d4f5513d0934d7.txt",
        "number": "186/KH-UBND", "issuer": "UBND-TN", "issued_on": date(2024, 10, 9), "issued_text": None,
        "title": f"Triển khai thực hiện phong trào thi đua chào mừng {THE_80_YEARS}",
        "kind": "thematic", "parent_number": "789/KH-UBTVQH15",
        "basis": "Kế hoạch số 789/KH-UBTVQH15 ngày 17/4/2024 của Ủy ban Thường vụ Quốc hội",
        "period_text": "từ ngày 01/01/2024 đến ngày 06/01/2026",
        "award_forms_text": ["Bằng khen của Thủ tướng Chính phủ", "Bằng khen của Chủ tịch UBND tỉnh",
                             "Giấy khen của Thủ trưởng các sở, ban, ngành và đoàn thể tỉnh, "
                             "Chủ tịch UBND cấp huyện, xã"],
        "award_codes": ["bang_khen_thu_tuong", "bang_khen_bo", "giay_khen"],
        "milestones": [
            {"text": "từ ngày 01/01/2024 đến ngày 06/01/2026", "purpose": "event",
             "description": "Thời gian thi đua"},
            {"text": "năm 2025", "purpose": "submission",
             "description": "Khen thưởng tổng kết phong trào thi đua năm 2025"},
            {"text": "vào dịp 06/01/2026", "purpose": "event",
             "description": "Tổng kết phong trào thi đua"},
        ],
    },
)


def open_plan(today: date) -> dict:
    """The open annual plan of the current year, taking nominations for 60 more days."""
    from datetime import timedelta
    closes = today + timedelta(days=60)
    return {
        "number": f"01/KH-BTDKT-{today.year}", "issuer": "TW", "issued_on": today.replace(month=1, day=2),
        "issued_text": None, "title": f"Kế hoạch thi đua, khen thưởng năm {today.year}", "kind": "annual",
        "parent_number": None, "basis": "Luật Thi đua, khen thưởng số 06/2022/QH15",
        "period_text": f"năm {today.year}", "award_forms_text": None, "award_codes": None,
        # The units that report on it: those of the first release (the demo's later units take
        # nominations under it but owe no report, so the report table stays as the demo showed it).
        "units": ["VTC", "CBC", "VPDBQH-TN"],
        "milestones": [
            {"text": f"trước ngày {closes.day}/{closes.month}/{closes.year}", "purpose": "submission",
             "description": "Các đơn vị gửi hồ sơ đề nghị khen thưởng"},
            {"text": f"trước ngày {closes.day}/{closes.month}/{closes.year}", "purpose": "report",
             "description": "Các đơn vị báo cáo kết quả phong trào thi đua năm"},
        ],
    }
