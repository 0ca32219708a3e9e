"""The canonical lifecycle of a nomination (hồ sơ đề nghị khen thưởng)."""

DRAFT = "draft"
COUNCIL_REVIEW = "council_review"
UNIT_REVIEW = "unit_review"
MINISTRY_REVIEW = "ministry_review"
CENTRAL_REVIEW = "central_review"
AWARDED = "awarded"
RETURNED = "returned"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"

STATES = (
    DRAFT, COUNCIL_REVIEW, UNIT_REVIEW, MINISTRY_REVIEW, CENTRAL_REVIEW,
    AWARDED, RETURNED, REJECTED, WITHDRAWN, EXPIRED,
)
REVIEW_STATES = (COUNCIL_REVIEW, UNIT_REVIEW, MINISTRY_REVIEW, CENTRAL_REVIEW)
TERMINAL_STATES = frozenset({AWARDED, REJECTED, WITHDRAWN, EXPIRED})

# Actions a person may take; `escalate` and `expire` belong to the system.
USER_ACTIONS = ("submit", "vote", "approve", "decide", "return", "resubmit", "reject", "withdraw")
SYSTEM_ACTIONS = ("escalate", "expire")
ACTIONS = USER_ACTIONS + SYSTEM_ACTIONS

# Organisation levels (cấp): central (Trung ương) → ministry/province (Bộ, ngành, tỉnh) → unit.
# `level` reported for a nomination: where it waits now.
LEVELS = ("unit", "council", "ministry", "central")

STATE_LEVEL = {
    DRAFT: "unit",
    RETURNED: "unit",
    COUNCIL_REVIEW: "council",
    UNIT_REVIEW: "unit",
    MINISTRY_REVIEW: "ministry",
    CENTRAL_REVIEW: "central",
}

# Names shown to people, Vietnamese first.
STATE_NAMES = {
    DRAFT: ("Dự thảo", "Draft"),
    COUNCIL_REVIEW: ("Hội đồng TĐKT xét", "Council review"),
    UNIT_REVIEW: ("Thủ trưởng đơn vị xét", "Unit head review"),
    MINISTRY_REVIEW: ("Bộ, ngành, tỉnh thẩm định", "Ministry/province review"),
    CENTRAL_REVIEW: ("Trung ương thẩm định", "Central review"),
    AWARDED: ("Đã khen thưởng", "Awarded"),
    RETURNED: ("Trả lại bổ sung", "Returned"),
    REJECTED: ("Không đề nghị", "Rejected"),
    WITHDRAWN: ("Đã rút", "Withdrawn"),
    EXPIRED: ("Quá hạn", "Expired"),
}
ACTION_NAMES = {
    "submit": ("Trình", "Submit"),
    "vote": ("Ghi kết quả bỏ phiếu", "Record vote"),
    "approve": ("Đồng ý, trình cấp trên", "Approve and forward"),
    "decide": ("Quyết định khen thưởng", "Decide award"),
    "return": ("Trả lại bổ sung", "Return for supplement"),
    "resubmit": ("Trình lại", "Resubmit"),
    "reject": ("Không đề nghị", "Reject"),
    "withdraw": ("Rút hồ sơ", "Withdraw"),
    "escalate": ("Nhắc, chuyển cấp (tự động)", "Escalate (system)"),
    "expire": ("Hết hạn (tự động)", "Expire (system)"),
}

# The states of routes resolved from the catalogue: "<level>_council", "<level>_review",
# "<level>_posting", "<level>_decision" (states/routes.py).
_LEVEL_NAMES = {
    "department": ("Sở, ngành, xã", "Department / commune"),
    "ministry": ("Bộ, ngành, tỉnh", "Ministry / province"),
    "central": ("Trung ương", "Central"),
}
_STEP_NAMES = {
    "council": ("Hội đồng TĐKT {vi} bỏ phiếu", "{en} council vote"),
    "review": ("{vi} thẩm định", "{en} appraisal"),
    "posting": ("{vi} công khai danh sách", "{en} public posting"),
    "decision": ("{vi} quyết định", "{en} decision"),
}


def state_names(state: str) -> tuple[str, str] | None:
    """(Vietnamese, English) name of a nomination's state, composed for resolved routes' steps."""
    if state in STATE_NAMES:
        return STATE_NAMES[state]
    level, _, step = state.partition("_")
    if level in _LEVEL_NAMES and step in _STEP_NAMES:
        (vi, en), (pattern_vi, pattern_en) = _LEVEL_NAMES[level], _STEP_NAMES[step]
        return pattern_vi.format(vi=vi), pattern_en.format(en=en)
    return None
