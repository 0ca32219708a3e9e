"""The report obligations of a plan (báo cáo theo kế hoạch), when that module is installed.

Obligations are built in workflow/services/obligations.py by another part of the project; the
plan page shows them when the service is there and leaves the section out otherwise.
"""
import importlib


def reports(db, actor_id: int, plan_id: int, *, now) -> list | None:
    try:
        module = importlib.import_module("workflow.services.obligations")
    except ImportError:
        return None
    fn = getattr(module, "plan_reports", None)
    if fn is None:
        return None
    return fn(db, actor_id, plan_id, now=now)
