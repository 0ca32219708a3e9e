"""E-mail leaves through the outbox: written with its cause, sent over real SMTP, once.

The SMTP server is a real aiosmtpd server on 127.0.0.1 (`SmtpSink`); other test modules
import the `smtp` fixture from here.
"""
import email
import email.policy
import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select

from workflow.models import OutboxMessage
from workflow.notices.outbox import SmtpConfig, deliver, enqueue

from tests.conftest import NOW
from tests.scenarios import act, draft


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server that keeps what it receives; optionally demands a login."""

    def __init__(self, port: int | None = None, *, login: tuple[str, str] | None = None):
        self.port = port or free_port()
        self.messages: list[email.message.Message] = []
        self.login = login
        self._lock = threading.Lock()
        self.controller = None

    @property
    def url(self) -> str:
        creds = f"{self.login[0]}:{self.login[1]}@" if self.login else ""
        return f"smtp://{creds}127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode(), auth_data.password.decode()) == self.login
        return AuthResult(success=ok, handled=False)

    def start(self) -> "SmtpSink":
        extra = dict(authenticator=self._authenticate, auth_required=True,
                     auth_require_tls=False) if self.login else {}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **extra)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def keys(self) -> Counter:
        """How many times each outbox message (by its key) arrived."""
        with self._lock:
            return Counter(m["X-Khenthuong-Key"] for m in self.messages)

    def to(self, address: str) -> list[email.message.Message]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def outbox(db) -> list[OutboxMessage]:
    with db.read() as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def test_the_council_secretary_gets_one_email_when_a_nomination_arrives(db, users, open_plan, smtp):
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    result = deliver(db, smtp.url, now=NOW)
    assert result.sent == len(outbox(db)) and result.failed == 0
    [mail] = smtp.to("vtc.hoidong@example.vn")
    assert "Có hồ sơ mới chờ xử lý" in mail["Subject"] and "Hội đồng TĐKT xét" in mail.get_content()
    # In the user's language (Vietnamese unless they chose English on /account), with a link.
    assert "see your inbox" not in mail.get_content() and "http://localhost:5000/inbox" in mail.get_content()
    assert deliver(db, smtp.url, now=NOW + timedelta(hours=1)).sent == 0
    assert all(k == 1 for k in smtp.keys().values())
    assert all(m.sent_at is not None and m.attempts == 1 for m in outbox(db))


def test_nominations_arriving_the_same_day_share_one_email_but_each_has_its_notice(db, users, open_plan, smtp):
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        act(db, users, "vtc.canbo", draft(db, users, open_plan, name=name).id, "submit")
    deliver(db, smtp.url, now=NOW)
    assert len(smtp.to("vtc.hoidong@example.vn")) == 1


def test_an_smtp_server_that_is_down_is_retried_with_backoff_then_mails_once(db, users, open_plan):
    sink = SmtpSink()  # not started yet: the port refuses connections
    n = draft(db, users, open_plan)
    act(db, users, "vtc.canbo", n.id, "submit")
    first = deliver(db, sink.url, now=NOW)
    assert first.sent == 0 and first.failed == len(outbox(db))
    msg = outbox(db)[-1]
    assert msg.sent_at is None and msg.attempts == 1 and "connect" in msg.last_error
    assert msg.next_attempt_at == NOW + timedelta(minutes=1)
    assert deliver(db, sink.url, now=NOW + timedelta(seconds=30)).failed == 0  # not due yet
    sink.start()
    try:
        again = deliver(db, sink.url, now=NOW + timedelta(minutes=2))
        assert again.sent == len(outbox(db)) and again.failed == 0
        assert set(sink.keys().values()) == {1}
        assert outbox(db)[-1].attempts == 2 and outbox(db)[-1].last_error is None
    finally:
        sink.stop()


def test_the_wait_doubles_after_each_failed_attempt(db, users, open_plan):
    sink = SmtpSink()
    act(db, users, "vtc.canbo", draft(db, users, open_plan).id, "submit")
    at = NOW
    waits = []
    for _ in range(4):
        deliver(db, sink.url, now=at)
        nxt = outbox(db)[-1].next_attempt_at
        waits.append(nxt - at)
        at = nxt
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_two_senders_racing_send_each_email_exactly_once(db, smtp):
    with db.write() as s:
        for i in range(40):
            enqueue(s, dedup_key=f"test:{i}", recipient=f"user{i}@example.vn", subject=f"Thư {i}",
                    body="Nội dung", now=NOW)
    expected = len(outbox(db))
    barrier = threading.Barrier(3)

    def send():
        barrier.wait()
        deliver(db, smtp.url, now=NOW, batch=3)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(smtp.keys().values()) == expected and set(smtp.keys().values()) == {1}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_an_authenticated_smtp_server_takes_the_login_from_the_url(db, users, open_plan):
    sink = SmtpSink(login=("khenthuong", "mat-khau-2026")).start()
    try:
        act(db, users, "vtc.canbo", draft(db, users, open_plan).id, "submit")
        wrong = sink.url.replace("mat-khau-2026", "sai")
        assert deliver(db, wrong, now=NOW).failed == len(outbox(db))
        assert "Authentication" in outbox(db)[0].last_error or "535" in outbox(db)[0].last_error
        assert deliver(db, sink.url, now=NOW + timedelta(minutes=5)).sent == len(outbox(db))
    finally:
        sink.stop()


def test_the_same_email_is_queued_once_however_often_it_is_asked_for(db):
    for _ in range(2):
        with db.write() as s:
            enqueue(s, dedup_key="n:1:esc1:v3:a@example.vn", recipient="a@example.vn", subject="x",
                    body="y", now=NOW)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.dedup_key == "n:1:esc1:v3:a@example.vn")).scalar_one() == 1


def test_smtp_urls_are_read_as_operators_write_them():
    cfg = SmtpConfig.parse("smtp://user%40vn:p%40ss@mail.example.vn:587?starttls=1&from=tdkt@example.vn")
    assert (cfg.host, cfg.port, cfg.username, cfg.password, cfg.starttls, cfg.ssl, cfg.sender) == (
        "mail.example.vn", 587, "user@vn", "p@ss", True, False, "tdkt@example.vn")
    assert SmtpConfig.parse("smtps://mail.example.vn").port == 465
    assert SmtpConfig.parse("smtp://127.0.0.1:8025").starttls is False
    with pytest.raises(ValueError):
        SmtpConfig.parse("http://mail.example.vn")
