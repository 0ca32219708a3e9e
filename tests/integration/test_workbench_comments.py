"""Offices discuss a file where it is: comments on a nomination and on a dossier, read by whoever
may see the item, each written with an audit event on the item's chain, the item's version kept."""
from sqlalchemy import select

from workflow.models import AuditEvent
from tests.conftest import snapshot
from tests.integration.test_dossier_lifecycle import to_ministry


def test_a_thread_on_a_nomination_between_the_ministry_and_the_unit(login, open_plan, db):
    _did, ids = to_ministry(login, open_plan, ["Nguyễn Văn An"])
    nid = ids[0]
    before = snapshot(db, nid)
    reviewer, officer = login("bo.chuyenvien"), login("vtc.canbo")
    r = reviewer.post(f"/nominations/{nid}/comments", json={"text": "Đề nghị bổ sung\u200b bản sao bằng khen năm 2024."})
    assert r.status_code == 201, r.get_json()
    first = r.get_json()
    assert first["text"] == "Đề nghị bổ sung bản sao bằng khen năm 2024." and first["role"] == "ministry_reviewer"
    r = officer.post(f"/nominations/{nid}/comments", json={"text": "Đơn vị đã bổ sung, xin gửi lại.\nTrân trọng."})
    assert r.status_code == 201
    thread = officer.get(f"/nominations/{nid}/comments").get_json()["items"]
    assert [c["text"] for c in thread] == [first["text"], "Đơn vị đã bổ sung, xin gửi lại.\nTrân trọng."]
    assert [c["author"] for c in thread] == [first["author"], r.get_json()["author"]]

    state, version, holder, events = snapshot(db, nid)
    assert (state, version, holder) == before[:3] and events == before[3] + 2  # audited, not a new version
    with db.read() as s:
        payloads = s.execute(select(AuditEvent.payload).where(AuditEvent.chain == f"n:{nid}",
                                                              AuditEvent.action == "comment")
                             .order_by(AuditEvent.seq)).scalars().all()
        assert payloads == [{"comment_id": first["id"]}, {"comment_id": r.get_json()["id"]}]

    # Whoever may not see the nomination neither reads nor writes its thread.
    for outsider in ("tinh.chuyenvien", "baochi.canbo"):
        assert login(outsider).get(f"/nominations/{nid}/comments").status_code == 404
        assert login(outsider).post(f"/nominations/{nid}/comments", json={"text": "?"}).status_code == 404
    for bad in ({}, {"text": "   "}, {"text": "x" * 4001}, {"text": 5}):
        assert reviewer.post(f"/nominations/{nid}/comments", json=bad).status_code == 422, bad
    assert len(officer.get(f"/nominations/{nid}/comments").get_json()["items"]) == 2


def test_a_thread_on_a_dossier(login, open_plan, db):
    did, _ids = to_ministry(login, open_plan, ["Trần Thị Bình"])
    version = login("bo.lanhdao").get(f"/dossiers/{did}").get_json()["version"]
    r = login("bo.lanhdao").post(f"/dossiers/{did}/comments", json={"text": "Chuyên viên Lan thẩm định trước 15/12."})
    assert r.status_code == 201
    assert [c["text"] for c in login("vtc.canbo").get(f"/dossiers/{did}/comments").get_json()["items"]] == \
        ["Chuyên viên Lan thẩm định trước 15/12."]
    assert login("bo.lanhdao").get(f"/dossiers/{did}").get_json()["version"] == version
    assert login("tinh.lanhdao").get(f"/dossiers/{did}/comments").status_code == 404


def test_comments_assignment_and_a_stand_ins_decision_keep_the_audit_log_intact(login, open_plan, db):
    from workflow.audit.verify import verify
    did, ids = to_ministry(login, open_plan, ["Đỗ Minh Quân"])
    login("bo.chuyenvien").post(f"/nominations/{ids[0]}/comments", json={"text": "Đã xem."})
    login("bo.lanhdao").post(f"/dossiers/{did}/comments", json={"text": "Giao chuyên viên."})
    with db.read() as s:
        from workflow.models import User
        uid = s.execute(select(User.id).where(User.username == "bo.chuyenvien")).scalar_one()
    assert login("bo.lanhdao").post(f"/dossiers/{did}/assign", json={"user_id": uid}).status_code == 200
    result = verify(db, b"k" * 32)
    assert result.ok, result.first


def test_the_auditor_reads_the_thread_and_writes_nothing(login, open_plan, db):
    _did, ids = to_ministry(login, open_plan, ["Ngô Thanh Hương"])
    login("bo.chuyenvien").post(f"/nominations/{ids[0]}/comments", json={"text": "Đủ hồ sơ."})
    auditor = login("kiemtra")
    assert [c["text"] for c in auditor.get(f"/nominations/{ids[0]}/comments").get_json()["items"]] == ["Đủ hồ sơ."]
    assert auditor.post(f"/nominations/{ids[0]}/comments", json={"text": "?"}).status_code == 403
