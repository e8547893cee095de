"""Sending queued e-mails over SMTP: a fake smtplib.SMTP, and once a real socket to a local sink."""
import smtplib
import socketserver
import threading

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.notifications import services
from portal.notifications.models import EmailStatus, OutgoingEmail


class FakeSMTP:
    """Records what smtplib.SMTP is asked to do; ``refuse`` maps an address to an exception."""

    instances = []
    refuse = {}
    connect_error = None

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.connect_error is not None:
            raise FakeSMTP.connect_error
        self.host, self.port, self.timeout = host, port, timeout
        self.tls = self.login_args = None
        self.sent, self.quit_called = [], False
        FakeSMTP.instances.append(self)

    def starttls(self, context=None):
        self.tls = context

    def login(self, user, password):
        self.login_args = (user, password)

    def send_message(self, msg):
        error = FakeSMTP.refuse.get(msg["To"])
        if error is not None:
            raise error
        self.sent.append(msg)

    def quit(self):
        self.quit_called = True

    def close(self):
        pass


@pytest.fixture
def fake_smtp(monkeypatch, mail_server):
    FakeSMTP.instances, FakeSMTP.refuse, FakeSMTP.connect_error = [], {}, None
    monkeypatch.setattr(services.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def _queue(to, subject="[Capaian] Uji", html=None, status=EmailStatus.QUEUED):
    email = OutgoingEmail(to_address=to, subject=subject, body_text=f"Halo {to}\n", body_html=html, status=status)
    db.session.add(email)
    db.session.flush()
    return email


def _reload(email):
    db.session.expire(email)
    return db.session.get(OutgoingEmail, email.id)


def test_queued_emails_are_sent_and_marked(fake_smtp, mail_server):
    first, second = _queue("a@example.go.id", "[Capaian] Satu"), _queue("b@example.go.id", html="<p>Halo</p>")
    result = services.deliver_pending()
    assert (result.sent, result.failed, result.deferred) == (2, 0, 0)
    [smtp] = fake_smtp.instances
    assert (smtp.host, smtp.port) == ("smtp.example.go.id", 587) and smtp.tls is not None
    assert smtp.login_args == ("capaian", "rahasia-smtp") and smtp.quit_called
    one, two = smtp.sent
    assert one["To"] == "a@example.go.id" and one["Subject"] == "[Capaian] Satu"
    assert one["From"] == "Capaian <noreply@example.go.id>" and one["Message-ID"].endswith("@example.go.id>")
    assert one["Auto-Submitted"] == "auto-generated"
    assert one.get_content_type() == "text/plain" and "Halo a@example.go.id" in one.get_content()
    assert two.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in two.iter_parts()] == ["text/plain", "text/html"]
    for email in (first, second):
        email = _reload(email)
        assert email.status is EmailStatus.SENT and email.sent_dt is not None and email.error is None


def test_a_refused_recipient_fails_and_the_rest_are_sent(fake_smtp, mail_server):
    fake_smtp.refuse["x@example.go.id"] = smtplib.SMTPRecipientsRefused(
        {"x@example.go.id": (550, b"5.1.1 mailbox unavailable")})
    bad, good = _queue("x@example.go.id"), _queue("y@example.go.id")
    result = services.deliver_pending()
    assert (result.sent, result.failed) == (1, 1)
    bad = _reload(bad)
    assert bad.status is EmailStatus.FAILED and "mailbox unavailable" in bad.error and bad.sent_dt is None
    assert _reload(good).status is EmailStatus.SENT


def test_a_temporary_refusal_stays_queued_with_the_error(fake_smtp, mail_server):
    fake_smtp.refuse["x@example.go.id"] = smtplib.SMTPDataError(451, b"4.3.0 try again later")
    email = _queue("x@example.go.id")
    assert services.deliver_pending().deferred == 1
    email = _reload(email)
    assert email.status is EmailStatus.QUEUED and "try again later" in email.error


def test_unreachable_server_leaves_everything_queued(fake_smtp, mail_server):
    fake_smtp.connect_error = ConnectionRefusedError(111, "Connection refused")
    emails = [_queue("a@example.go.id"), _queue("b@example.go.id")]
    result = services.deliver_pending()
    assert (result.sent, result.failed, result.deferred) == (0, 0, 2)
    for email in emails:
        email = _reload(email)
        assert email.status is EmailStatus.QUEUED and "Connection refused" in email.error


def test_a_dropped_connection_keeps_the_rest_for_the_next_run(fake_smtp, mail_server):
    fake_smtp.refuse["b@example.go.id"] = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    a, b, c = _queue("a@example.go.id"), _queue("b@example.go.id"), _queue("c@example.go.id")
    result = services.deliver_pending()
    assert (result.sent, result.failed, result.deferred) == (1, 0, 2)
    assert _reload(a).status is EmailStatus.SENT
    assert [_reload(e).status for e in (b, c)] == [EmailStatus.QUEUED, EmailStatus.QUEUED]


def test_limit_and_stored_emails_are_never_sent(fake_smtp, mail_server):
    stored = _queue("s@example.go.id", status=EmailStatus.STORED)
    queued = [_queue(f"q{i}@example.go.id") for i in range(3)]
    assert services.deliver_pending(limit=2).sent == 2
    assert [_reload(e).status for e in queued] == [EmailStatus.SENT, EmailStatus.SENT, EmailStatus.QUEUED]
    assert services.deliver_pending().sent == 1
    assert _reload(stored).status is EmailStatus.STORED


def test_development_sends_nothing(app, monkeypatch):
    monkeypatch.setattr(services.smtplib, "SMTP", None)  # any use would raise
    email = _queue("a@example.go.id")
    assert services.deliver_pending().sent == 0
    assert _reload(email).status is EmailStatus.QUEUED


def test_cli_sends_pending(app, fake_smtp, mail_server):
    _queue("a@example.go.id")
    result = app.test_cli_runner().invoke(args=["notifications", "send-pending", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert db.session.scalar(sa.select(OutgoingEmail.status)) is EmailStatus.SENT


def test_cli_without_server_says_so(app):
    result = app.test_cli_runner().invoke(args=["notifications", "send-pending"])
    assert result.exit_code == 0 and "MAIL_SERVER is not set" in result.output


def test_cli_exits_1_when_the_server_is_unreachable(app, fake_smtp, mail_server):
    fake_smtp.connect_error = OSError("no route to host")
    _queue("a@example.go.id")
    result = app.test_cli_runner().invoke(args=["notifications", "send-pending"])
    assert result.exit_code == 1 and "left queued 1" in result.output


# ---------------------------------------------------------------- a real SMTP conversation
class _SinkHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message: records the DATA of each one."""

    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif command.startswith(("MAIL FROM", "RCPT TO", "RSET", "NOOP")):
                self.wfile.write(b"250 OK\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                self.server.messages.append(b"".join(data))
                self.wfile.write(b"250 OK queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 not implemented\r\n")


@pytest.fixture
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SinkHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_delivery_over_a_real_socket(app, monkeypatch, smtp_sink):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    email = _queue("pegawai@example.go.id", "[Capaian] Mutasi Anda ke Dinas Beta sudah dicatat")
    assert services.deliver_pending().sent == 1
    [data] = smtp_sink.messages
    assert b"To: pegawai@example.go.id" in data and b"Subject: [Capaian] Mutasi Anda" in data
    assert _reload(email).status is EmailStatus.SENT
