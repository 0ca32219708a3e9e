"""An award type's definition (what `POST /award-types` takes), checked once at the edge.

A definition that cannot become a lawful route is refused with the field named and nothing
stored: no deciding step, a vote as the last step, levels going down, a threshold above 100 %,
a step kind or level that does not exist, a document nobody knows.
"""
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from states.routes import STEP_KINDS, STEP_LEVELS, TWO_THIRDS, MAJORITY, StepRule, state_of
from workflow import validation as v
from workflow.catalogue.awards import DOCUMENT_NAMES, fraction
from workflow.errors import InvalidInput

CODE = re.compile(r"[a-z][a-z0-9_]{1,59}")
SUBJECTS = ("individual", "collective", "both")
# Loại hình khen thưởng (Law Art. 8), plus the yearly titles (thi đua thường xuyên, Art. 16).
KINDS = ("thuong_xuyen", "cong_trang", "chuyen_de", "dot_xuat", "cong_hien", "nien_han", "doi_ngoai")
MAX_STEPS = 20


@dataclass(frozen=True)
class AwardDefinition:
    code: str
    name_vi: str
    name_en: str
    subject: str
    kind: str
    decider: str                  # the title that signs the decision ("Thủ tướng Chính phủ")
    steps: tuple[StepRule, ...]
    documents: tuple[str, ...] = ()
    legal_basis: str | None = None
    active: bool = True
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def deciding_level(self) -> str:
        return self.steps[-1].level

    @property
    def unit_vote(self) -> StepRule | None:
        return next((s for s in self.steps if s.level == "unit" and s.kind == "vote"), None)

    def to_data(self) -> dict:
        return {"code": self.code, "name_vi": self.name_vi, "name_en": self.name_en, "subject": self.subject,
                "kind": self.kind, "decider": self.decider, "steps": [s.to_data() for s in self.steps],
                "documents": list(self.documents), "legal_basis": self.legal_basis, "active": self.active}


def _share(value: Any, name: str, default: Fraction) -> Fraction:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"{name} phải là tỷ lệ (0,9 / \"90%\" / \"9/10\")",
                           f"{name} must be a share (0.9, \"90%\" or \"9/10\")", field=name)
    try:
        share = fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(f"{name} không đọc được: {value!r}", f"{name} cannot be read: {value!r}",
                           field=name) from None
    if not 0 < share <= 1:
        raise InvalidInput(f"{name} phải lớn hơn 0% và không quá 100% (nhận {float(share):.0%})",
                           f"{name} must be above 0% and at most 100% (got {float(share):.0%})", field=name)
    return share


def _step(raw: Any, i: int) -> StepRule:
    f = f"steps[{i}]"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{f} phải là đối tượng", f"{f} must be an object", field=f)
    level = v.choice(raw.get("level"), f"{f}.level", STEP_LEVELS)
    kind = v.choice(raw.get("kind"), f"{f}.kind", STEP_KINDS)
    days = v.integer(raw.get("time_limit_days"), f"{f}.time_limit_days", minimum=1, maximum=365)
    if kind != "vote":
        if raw.get("threshold") is not None or raw.get("quorum") is not None:
            raise InvalidInput(f"Chỉ bước bỏ phiếu mới có tỷ lệ ({f})", f"Only a vote step has a threshold ({f})",
                               field=f"{f}.threshold")
        return StepRule(level, kind, days)
    return StepRule(level, kind, days, _share(raw.get("threshold"), f"{f}.threshold", MAJORITY),
                    _share(raw.get("quorum"), f"{f}.quorum", TWO_THIRDS))


def parse_steps(raw: Any) -> tuple[StepRule, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("Cần ít nhất một bước xét duyệt", "At least one step is required", field="steps")
    if len(raw) > MAX_STEPS:
        raise InvalidInput(f"Tối đa {MAX_STEPS} bước", f"At most {MAX_STEPS} steps", field="steps")
    steps = tuple(_step(s, i) for i, s in enumerate(raw))
    for i, (a, b) in enumerate(zip(steps, steps[1:]), start=1):
        if STEP_LEVELS.index(b.level) < STEP_LEVELS.index(a.level):
            raise InvalidInput(f"Bước {i + 1} ở cấp thấp hơn bước trước (luồng chỉ đi lên)",
                               f"Step {i + 1} is at a lower level than the one before (a route only goes up)",
                               field=f"steps[{i}].level")
    seen = set()
    for i, s in enumerate(steps):
        state = state_of(s.level, s.kind)
        if state in seen:
            raise InvalidInput(f"Bước {i + 1} lặp lại bước '{state}'", f"Step {i + 1} repeats the step '{state}'",
                               field=f"steps[{i}]")
        seen.add(state)
    if steps[-1].kind not in ("decide", "review"):
        raise InvalidInput("Luồng phải kết thúc bằng bước quyết định của cấp có thẩm quyền",
                           "A route must end with the competent level's deciding step", field="steps")
    return steps


def _documents(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(d, str) for d in raw):
        raise InvalidInput("documents phải là danh sách mã tài liệu", "documents must be a list of document codes",
                           field="documents")
    unknown = [d for d in raw if d not in DOCUMENT_NAMES]
    if unknown:
        raise InvalidInput(f"Không có loại tài liệu '{unknown[0]}' ({', '.join(DOCUMENT_NAMES)})",
                           f"Unknown document '{unknown[0]}' ({', '.join(DOCUMENT_NAMES)})", field="documents")
    return tuple(dict.fromkeys(raw))


def parse(raw: Any, *, code: str | None = None) -> AwardDefinition:
    """A definition from a request body (or the shipped catalogue); `code` fixes it (PUT)."""
    if not isinstance(raw, dict):
        raise InvalidInput("Nội dung phải là đối tượng JSON", "The body must be a JSON object", field="body")
    if code is None:
        code = v.text(raw.get("code"), "code", max_len=60)
        if not CODE.fullmatch(code):
            raise InvalidInput("Mã chỉ gồm chữ thường không dấu, số và dấu gạch dưới (vd. bang_khen_bo)",
                               "A code is lowercase letters, digits and underscores (e.g. bang_khen_bo)",
                               field="code")
    elif raw.get("code") not in (None, code):
        raise InvalidInput("Không đổi được mã hình thức", "The code cannot change", field="code")
    return AwardDefinition(
        code=code,
        name_vi=v.text(raw.get("name_vi"), "name_vi", max_len=300),
        name_en=v.text(raw.get("name_en"), "name_en", max_len=300),
        subject=v.choice(raw.get("subject"), "subject", SUBJECTS),
        kind=v.choice(raw.get("kind") or "cong_trang", "kind", KINDS),
        decider=v.text(raw.get("decider"), "decider", required=False, max_len=200) or "",
        steps=parse_steps(raw.get("steps")),
        documents=_documents(raw.get("documents")),
        legal_basis=v.text(raw.get("legal_basis"), "legal_basis", required=False, max_len=1000),
        active=raw.get("active", True) is not False,
    )
