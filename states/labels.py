"""One vocabulary: the Vietnamese and English name of every code people may see.

Pages, exports, e-mails and notices name states, actions, roles and levels from here, so no raw
code ("receive", "remove_from_dossier", "ministry_review") reaches a reader and one word means one
thing everywhere: a *hồ sơ đề nghị* is one nomination, a *tờ trình* a dossier carrying many.
Each entry is (Vietnamese, English). `label(...)` picks one; an unknown code comes back as it is
(and a test crawls the pages for such leftovers).
"""
from collections.abc import Callable

from states.dossiers import DOSSIER_STATE_NAMES
from states.lifecycle import ACTION_NAMES, STATE_NAMES, state_names
from states.obligations import OBLIGATION_ACTION_NAMES, OBLIGATION_STATE_NAMES
from states.plans import PLAN_ACTION_NAMES, PLAN_STATE_NAMES

Names = tuple[str, str]

# What an audit event is about (audit_events.entity).
ENTITIES: dict[str, Names] = {
    "nomination": ("Hồ sơ đề nghị", "Nomination"),
    "dossier": ("Tờ trình", "Dossier"),
    "obligation": ("Báo cáo theo kế hoạch", "Plan report"),
    "plan": ("Kế hoạch", "Plan"),
    "decision": ("Quyết định", "Decision"),
    "user": ("Người dùng", "User"),
    "award_type": ("Hình thức khen thưởng", "Award type"),
    "calendar": ("Lịch làm việc", "Working calendar"),
    "checkpoint": ("Mốc kiểm chứng nhật ký", "Audit checkpoint"),
    "auth": ("Đăng nhập", "Login"),
    "org_unit": ("Cơ quan, đơn vị", "Organisation unit"),
    "trust_root": ("Chứng thư gốc tin cậy", "Trusted root certificate"),
}

# Actions recorded on any chain, whatever the entity (lifecycle actions come from their machines).
RECORDED_ACTIONS: dict[str, Names] = {
    "create": ("Lập mới", "Created"),
    "edit": ("Sửa nội dung", "Edited"),
    "remind": ("Nhắc hạn (tự động)", "Reminder (system)"),
    "attach": ("Đính kèm tài liệu", "Document attached"),
    "add_to_dossier": ("Đưa vào tờ trình", "Added to a dossier"),
    "remove_from_dossier": ("Bỏ khỏi tờ trình", "Removed from a dossier"),
    "plan_create": ("Ban hành kế hoạch", "Plan issued"),
    "login_failed": ("Đăng nhập sai", "Failed login"),
    "audit_checkpoint": ("Mốc kiểm chứng nhật ký", "Audit checkpoint"),
    "calendar_override_add": ("Khai báo ngày nghỉ / ngày làm bù", "Day off / working day declared"),
    "calendar_override_remove": ("Bỏ ngày nghỉ / ngày làm bù", "Day off / working day removed"),
    "calendar_day_off": ("Khai báo ngày nghỉ", "Day off declared"),
    "user_create": ("Tạo người dùng", "User created"),
    "user_update": ("Sửa người dùng", "User changed"),
    "password_reset": ("Đặt lại mật khẩu", "Password reset"),
    "award_update": ("Sửa hình thức khen thưởng", "Award type changed"),
    "org_create": ("Thành lập cơ quan, đơn vị", "Organisation added"),
    "org_update": ("Đổi tên, chuyển hoặc sửa cơ quan, đơn vị", "Organisation renamed, moved or changed"),
    "org_close": ("Giải thể cơ quan, đơn vị", "Organisation closed"),
    "org_merge": ("Sáp nhập cơ quan, đơn vị", "Organisations merged"),
    "council_set": ("Kiện toàn Hội đồng TĐKT", "Council roster set"),
    "due_recompute": ("Tính lại hạn xử lý theo lịch làm việc", "Due date recomputed by the calendar"),
    "delegate": ("Ủy quyền ký thay", "Delegation given"),
    "password_change": ("Tự đổi mật khẩu", "Own password changed"),
    "password_change_failed": ("Đổi mật khẩu: sai mật khẩu hiện tại", "Password change: wrong current password"),
    "account_update": ("Sửa thông tin tài khoản", "Account settings changed"),
    "login_throttle_clear": ("Mở khoá đăng nhập", "Login unblocked"),
    "route_recompute": ("Tính lại luồng xét duyệt theo cơ cấu tổ chức mới",
                        "Route recomputed after an organisation change"),
    "definition_migrate": ("Chuyển sang phiên bản mới của hình thức khen thưởng",
                           "Moved to a new version of the award type"),
    "trust_root_add": ("Thêm chứng thư gốc tin cậy", "Trusted root certificate added"),
    "trust_root_remove": ("Gỡ chứng thư gốc tin cậy", "Trusted root certificate removed"),
}

# Actions whose meaning depends on what they act on.
DOSSIER_ACTIONS: dict[str, Names] = {
    "create": ("Lập tờ trình", "Dossier created"),
    "submit": ("Trình cả danh sách", "List submitted"),
    "resubmit": ("Trình lại", "Resubmitted"),
    "receive": ("Cấp trên đã tiếp nhận", "Received by the next level"),
    "return": ("Trả lại cả tờ trình", "Whole dossier returned"),
    "aggregate": ("Tổng hợp trình cấp trên", "Aggregated upward"),
    "close": ("Kết thúc tờ trình", "Dossier closed"),
    "add_nominations": ("Thêm vào danh sách", "Added to the list"),
    "import": ("Nhập danh sách từ Excel", "List imported from Excel"),
    "remove_nomination": ("Bỏ khỏi danh sách", "Removed from the list"),
    "council_session": ("Phiên họp Hội đồng TĐKT", "Council session"),
    "review": ("Xét từng người trong tờ trình", "Nominees reviewed"),
    "attach": ("Đính kèm tài liệu", "Document attached"),
    "sign": ("Lãnh đạo ký, gửi tờ trình", "Signed and sent by the leader"),
    "appraisal_complete": ("Ghi nhận hồ sơ đủ, bắt đầu thẩm định", "Dossier complete; appraisal started"),
    "appraisal_consult": ("Tạm dừng để lấy ý kiến cơ quan liên quan", "Paused to consult other bodies"),
    "appraisal_resume": ("Nhận đủ ý kiến, tiếp tục thẩm định", "Opinions received; appraisal resumed"),
    "assign": ("Phân công chuyên viên xử lý", "Assigned to a specialist"),
    "comment": ("Ý kiến trao đổi", "Comment"),
}
NOMINATION_ACTIONS: dict[str, Names] = {
    "create": ("Lập hồ sơ đề nghị", "Nomination drafted"),
    "edit": ("Sửa nội dung hồ sơ", "Nomination edited"),
    # The central appraisal's clock (NĐ 98/2023 Art. 32).
    "appraisal_complete": ("Ghi nhận hồ sơ đủ, bắt đầu thẩm định", "Dossier complete; appraisal started"),
    "appraisal_consult": ("Tạm dừng để lấy ý kiến cơ quan liên quan", "Paused to consult other bodies"),
    "appraisal_resume": ("Nhận đủ ý kiến, tiếp tục thẩm định", "Opinions received; appraisal resumed"),
    "comment": ("Ý kiến trao đổi", "Comment"),
    **ACTION_NAMES,
}
OBLIGATION_ACTIONS: dict[str, Names] = {
    "create": ("Giao báo cáo theo kế hoạch", "Report required"),
    "attach": ("Đính kèm tệp vào báo cáo", "File attached to the report"),
    **OBLIGATION_ACTION_NAMES,
}
ACTIONS_BY_ENTITY: dict[str, dict[str, Names]] = {
    "nomination": NOMINATION_ACTIONS,
    "dossier": DOSSIER_ACTIONS,
    "obligation": OBLIGATION_ACTIONS,
    "plan": PLAN_ACTION_NAMES,
}

STATES_BY_ENTITY: dict[str, dict[str, Names]] = {
    "nomination": STATE_NAMES,
    "dossier": DOSSIER_STATE_NAMES,
    "obligation": OBLIGATION_STATE_NAMES,
    "plan": PLAN_STATE_NAMES,
}

ROLES: dict[str, Names] = {
    "admin": ("Quản trị hệ thống", "Administrator"),
    "unit_officer": ("Cán bộ TĐKT đơn vị", "Unit commendation officer"),
    "council_secretary": ("Thư ký Hội đồng TĐKT", "Council secretary"),
    "unit_head": ("Thủ trưởng đơn vị", "Unit head"),
    "ministry_reviewer": ("Chuyên viên Bộ, ngành, tỉnh", "Ministry/province reviewer"),
    "ministry_leader": ("Lãnh đạo Bộ, ngành, tỉnh", "Ministry/province leader"),
    "central_reviewer": ("Chuyên viên Trung ương", "Central reviewer"),
    "central_leader": ("Lãnh đạo Trung ương", "Central leader"),
    "auditor": ("Thanh tra, kiểm tra", "Auditor"),
    "system": ("Hệ thống", "System"),
    "anonymous": ("Không xác định", "Unknown"),
}
LEVELS: dict[str, Names] = {
    "unit": ("Đơn vị", "Unit"),
    "council": ("Hội đồng TĐKT", "Council"),
    # A Sở, Cục, Tổng công ty or commune between a unit and its ministry or province.
    "department": ("Sở, ngành, xã", "Department / commune"),
    "ministry": ("Bộ, ngành, tỉnh", "Ministry/province"),
    "central": ("Trung ương", "Central"),
}
NOMINEE_KINDS: dict[str, Names] = {"individual": ("Cá nhân", "Individual"), "collective": ("Tập thể", "Collective")}
MILESTONE_PURPOSES: dict[str, Names] = {
    "submission": ("Hạn nộp hồ sơ", "Submission deadline"),
    "report": ("Hạn báo cáo", "Report deadline"),
    "event": ("Sự kiện", "Event"),
}
# Where a unit stands with a report it owes (workflow/plans/obligations.standing).
REPORT_STANDINGS: dict[str, Names] = {
    "on_time": ("Đã báo cáo đúng hạn", "Reported on time"),
    "late": ("Báo cáo muộn", "Reported late"),
    "missing": ("Quá hạn, chưa báo cáo", "Missing (overdue)"),
    "open": ("Chưa đến hạn", "Not yet due"),
}
PLAN_KINDS: dict[str, Names] = {
    "annual": ("Thường xuyên, hằng năm", "Annual"),
    "thematic": ("Theo chuyên đề, đợt", "Thematic"),
    "ad_hoc": ("Đột xuất", "Ad hoc"),
    # Kinds a plan read from its own text may have (workflow/plans/reading.py).
    "congress": ("Đại hội thi đua, hội nghị điển hình tiên tiến", "Emulation congress"),
    "campaign": ("Tuyên truyền, kỷ niệm, hưởng ứng", "Campaign"),
    "other": ("Khác", "Other"),
}
# The fields of a plan an amendment may change (workflow/plans/amend.py), as its page names them.
PLAN_FIELDS: dict[str, Names] = {
    "number": ("Số, ký hiệu", "Number"),
    "title": ("Trích yếu", "Title"),
    "kind": ("Loại kế hoạch", "Kind"),
    "issued_on": ("Ngày ban hành", "Issue date"),
    "issued_text": ("Ngày ban hành (như văn bản ghi)", "Issue date (as written)"),
    "period": ("Thời gian thực hiện", "Period"),
    "period_text": ("Thời gian (như văn bản ghi)", "Period (as written)"),
    "parent_number": ("Kế hoạch cấp trên", "Parent plan"),
    "parent_plan_id": ("Kế hoạch cấp trên (trong hệ thống)", "Parent plan (in the product)"),
    "basis": ("Căn cứ", "Legal basis"),
    "criteria": ("Tiêu chuẩn", "Criteria"),
    "award_types": ("Hình thức khen thưởng", "Award types"),
    "participants": ("Đơn vị tham gia", "Participants"),
    "groups": ("Nhóm đơn vị tham gia", "Participant groups"),
    "milestones": ("Mốc thời gian", "Milestones"),
}
# Groups of participants a plan names by the kind of organisation under a root (workflow/plans/groups.py).
GROUP_KINDS: dict[str, Names] = {
    "department": ("Các Sở, ban, ngành, đơn vị thuộc", "Departments and agencies under"),
    "commune": ("UBND các xã, phường, đặc khu thuộc", "Communes and wards under"),
    "unit": ("Các đơn vị cơ sở thuộc", "Grassroots units under"),
    "*": ("Tất cả cơ quan, đơn vị thuộc", "Every organisation under"),
}


def pick(names: Names | None, lang: str, default: str = "—") -> str:
    if names is None:
        return default
    return names[1] if lang == "en" else names[0]


def action_label(action: str, entity: str | None = None, lang: str = "vi") -> str:
    """The name of a recorded action, in the sense it has for `entity`."""
    names = ACTIONS_BY_ENTITY.get(entity or "", {}).get(action) or RECORDED_ACTIONS.get(action) \
        or NOMINATION_ACTIONS.get(action)
    return pick(names, lang, action)


def state_label(state: str | None, entity: str | None = "nomination", lang: str = "vi") -> str:
    if state is None:
        return "—"
    if entity in (None, "nomination"):
        return pick(state_names(state), lang, state)
    return pick(STATES_BY_ENTITY.get(entity, STATE_NAMES).get(state), lang, state)


def role_label(role: str | None, lang: str = "vi") -> str:
    return pick(ROLES.get(role or ""), lang, role or "—")


def both(fn: Callable[..., str], *args: str | None) -> tuple[str, str]:
    """(Vietnamese, English) of one label function, for a bilingual domain message."""
    return fn(*args, lang="vi"), fn(*args, lang="en")


def nominee_ref(name: str) -> tuple[str, str]:
    """How a message names one nomination: by its nominee, never by an internal number."""
    return f"hồ sơ đề nghị khen thưởng {name}", f"the nomination of {name}"


def cap(text: str) -> str:
    """The first letter upper case, the rest as written (str.capitalize would lower a name)."""
    return text[:1].upper() + text[1:]
