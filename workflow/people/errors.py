"""The register's refusals that carry data for the caller: the duplicate's candidates, the failed checks."""
from workflow.errors import Conflict, InvalidInput


class Duplicate(Conflict):
    """A likely duplicate (trùng hồ sơ): confirm one of `candidates` or that the person is distinct."""
    code = "duplicate"

    def __init__(self, vi: str, en: str, candidates: list[dict], field: str | None = "name"):
        super().__init__(vi, en, field=field)
        self.extra = {"candidates": candidates}


class Ineligible(InvalidInput):
    """The recorded history contradicts a condition of the award (không đủ điều kiện)."""
    code = "ineligible"

    def __init__(self, vi: str, en: str, checks: list[dict]):
        super().__init__(vi, en, field="eligibility")
        self.extra = {"eligible": False, "checks": checks}
