"""E-mails that say what happened (who, which award by its name, which tờ trình or decision, why,
and a link), in each reader's language; and the daily digest for those who asked for it, sent
once per user and day whoever sweeps. Read back from a real SMTP server (aiosmtpd)."""
import json
from datetime import timedelta

from sqlalchemy import select, update

from workflow.auth import account
from workflow.kernel.db import Database
from workflow.models import AwardType, OutboxMessage, User, UserDigest
from workflow.notices import digest
from workflow.notices.outbox import deliver

from tests.conftest import NOW
from tests.crash_support import env_for, khenthuong
from tests.integration.test_outbox import smtp  # noqa: F401  (the SMTP server fixture)
from tests.scenarios import FULL_VOTE, act, draft

SITE = "https://tdkt.example.gov.vn"


def site(db) -> Database:
    """The same database, as the server configured with KHENTHUONG_BASE_URL sees it."""
    return Database(db.url, settings=db.settings.with_(base_url=SITE))


def award_names(db, code: str) -> tuple[str, str]:
    with db.read() as s:
        row = s.execute(select(AwardType.name_vi, AwardType.name_en).where(AwardType.code == code)).one()
        return row.name_vi, row.name_en


def set_user(db, username: str, **values) -> None:
    with db.write() as s:
        s.execute(update(User).where(User.username == username).values(**values))


def test_emails_name_the_nominee_the_award_the_numbers_the_reason_and_link_to_the_item(db, users, open_plan, smtp):
    server = site(db)
    set_user(db, "vtc.hoidong", language="en")  # the council secretary reads English
    award_vi, award_en = award_names(db, "giay_khen")
    returned = draft(server, users, open_plan, award="giay_khen", name="Trần Thị Bình")
    act(server, users, "vtc.canbo", returned.id, "submit")
    act(server, users, "vtc.hoidong", returned.id, "vote", votes=FULL_VOTE)
    act(server, users, "vtc.thutruong", returned.id, "return", reason="Bổ sung báo cáo thành tích năm 2026")
    awarded = draft(server, users, open_plan, award="giay_khen", name="Lê Văn Cường")
    act(server, users, "vtc.canbo", awarded.id, "submit")
    act(server, users, "vtc.hoidong", awarded.id, "vote", votes=FULL_VOTE)
    act(server, users, "vtc.thutruong", awarded.id, "decide", decision={"number": "15/QĐ-VTC", "date": "2026-11-23"})
    assert deliver(server, smtp.url, now=NOW).failed == 0

    [arrived] = smtp.to("vtc.hoidong@example.vn")  # one e-mail for the day's arrivals, in English
    text = arrived.get_content()
    assert arrived["Subject"].startswith("[Emulation and commendation] New nominations await your action")
    assert "Trần Thị Bình" in text and award_en in text and f"{SITE}/inbox" in text
    assert "giay_khen" not in text and "Có hồ sơ" not in text

    officer = {m["Subject"]: m.get_content() for m in smtp.to("vtc.canbo@example.vn")}
    [back] = [body for subject, body in officer.items() if "bị trả lại" in subject]
    assert "Trần Thị Bình" in back and award_vi in back and "Lý do: Bổ sung báo cáo thành tích năm 2026" in back
    assert f"{SITE}/nominations/{returned.id}" in back and "giay_khen" not in back
    [won] = [body for subject, body in officer.items() if "15/QĐ-VTC" in subject]
    assert "Lê Văn Cường" in won and award_vi in won
    with server.read() as s:
        decision_id = s.execute(select(OutboxMessage.dedup_key).where(
            OutboxMessage.dedup_key.like("digest:awarded:%"))).scalar_one().split(":")[3]
    assert f"{SITE}/decisions/{decision_id}" in won
    server.engine.dispose()


def test_a_user_who_chose_the_daily_digest_gets_one_email_a_day_and_none_per_notice(db, users, open_plan, smtp):
    deliver(db, smtp.url, now=NOW)  # what was mailed before the choice (the plan's report notice)
    smtp.messages.clear()
    account.update_account(db, users["vtc.canbo"], {"notify_digest": True}, now=NOW)
    for name, reason in (("Trần Thị Bình", "Thiếu biên bản"), ("Đỗ Minh Châu", "Thiếu xác nhận")):
        n = draft(db, users, open_plan, award="giay_khen", name=name)
        act(db, users, "vtc.canbo", n.id, "submit")
        act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)
        act(db, users, "vtc.thutruong", n.id, "return", reason=reason)
    lost = draft(db, users, open_plan, award="giay_khen", name="Phạm Thu Hà")
    act(db, users, "vtc.canbo", lost.id, "submit")
    act(db, users, "vtc.hoidong", lost.id, "vote", votes={"members": 10, "present": 10, "yes": 3, "no": 7})
    deliver(db, smtp.url, now=NOW)
    assert [m["Subject"] for m in smtp.to("vtc.canbo@example.vn")] == []  # nothing at once

    # Today's notices wait for tomorrow; yesterday had none: settled, nothing sent.
    assert digest.send_due(db, NOW).to_dict() == {"users": 1, "sent": 0, "empty": 1}
    tomorrow = NOW + timedelta(days=1)
    assert digest.send_due(db, tomorrow).sent == 1
    second_scheduler = Database(db.url, settings=db.settings)
    assert digest.send_due(second_scheduler, tomorrow + timedelta(minutes=1)).sent == 0
    assert digest.send_due(db, tomorrow + timedelta(hours=3)).sent == 0  # restarted: still once
    deliver(db, smtp.url, now=tomorrow)
    deliver(second_scheduler, smtp.url, now=tomorrow + timedelta(hours=1))
    second_scheduler.engine.dispose()
    [mail] = smtp.to("vtc.canbo@example.vn")
    body = mail.get_content()
    assert " ".join(mail["Subject"].split()) == "[Thi đua - Khen thưởng] Tổng hợp thông báo ngày 23/11/2026: 4 thông báo"
    assert "Bị trả lại (2)" in body and "Không được đề nghị (1)" in body and "Báo cáo theo kế hoạch (1)" in body
    for words in ("Trần Thị Bình", "Đỗ Minh Châu", "Phạm Thu Hà", "Lý do: Thiếu biên bản", "/nominations/"):
        assert words in body
    assert body.index("Bị trả lại") < body.index("Không được đề nghị")  # grouped, in a fixed order

    # A day without notices: nothing is sent, and the day is settled all the same.
    run = digest.send_due(db, tomorrow + timedelta(days=1))
    assert (run.sent, run.empty) == (0, 1)
    deliver(db, smtp.url, now=tomorrow + timedelta(days=1))
    assert len(smtp.to("vtc.canbo@example.vn")) == 1
    with db.read() as s:
        days = s.execute(select(UserDigest.day, UserDigest.notices).where(
            UserDigest.user_id == users["vtc.canbo"]).order_by(UserDigest.day)).all()
    assert [(d.isoformat(), k) for d, k in days] == [("2026-11-22", 0), ("2026-11-23", 4), ("2026-11-24", 0)]


def test_the_schedulers_tick_rehearses_the_digest_then_sends_it_once(db, users, open_plan, smtp, tmp_path):
    deliver(db, smtp.url, now=NOW)  # what was mailed before the choice (the plan's report notice)
    smtp.messages.clear()
    set_user(db, "vtc.canbo", notify_digest=True, language="en")
    n = draft(db, users, open_plan, award="giay_khen", name="Trần Thị Bình")
    act(db, users, "vtc.canbo", n.id, "submit")
    act(db, users, "vtc.hoidong", n.id, "vote", votes=FULL_VOTE)
    act(db, users, "vtc.thutruong", n.id, "return", reason="Thiếu biên bản")
    env = env_for(db.url, tmp_path / "instance", KHENTHUONG_SMTP_URL=smtp.url, KHENTHUONG_BASE_URL=SITE)
    at = (NOW + timedelta(days=1)).isoformat()
    rehearsal = khenthuong(env, "scheduler", "tick", "--now", at, "--json")
    assert rehearsal.returncode == 0, rehearsal.stderr
    assert json.loads(rehearsal.stdout)["digests"]["sent"] == 1 and smtp.to("vtc.canbo@example.vn") == []
    for _ in range(2):  # applied twice (a restart): one e-mail
        r = khenthuong(env, "scheduler", "tick", "--now", at, "--apply", "--json")
        assert r.returncode == 0, r.stderr
    [mail] = smtp.to("vtc.canbo@example.vn")
    assert " ".join(mail["Subject"].split()) == "[Emulation and commendation] Daily digest of 23/11/2026: 2 notifications"
    assert "Returned (1)" in mail.get_content() and "Plan reports (1)" in mail.get_content() and f"{SITE}/nominations/{n.id}" in mail.get_content()
