"""Notifications: in-app messages for one user, and the e-mails that go with them.

A module announces an event with one call, after its own service has changed the state
and before the caller commits::

    from flask_babel import lazy_gettext as _l
    from portal.notifications import services as notifications

    # once, at import time of the module that owns the event
    notifications.register_kind("plans.plan_returned", title=_l("Rencana %(year)s dikembalikan"),
                                email=True)   # e-mail template notifications/email/plans.plan_returned.txt

    # in a service, after the change
    notifications.notify(plan.owner, "plans.plan_returned", title_args={"year": plan.year},
                         body=_l("Catatan penilai: %(note)s", note=note), obj=plan,
                         url=notifications.path_for("plans.show_plan", plan_id=plan.id))

``notify`` writes a ``Notification`` row and, when the kind wants e-mail and the account's
employee has an e-mail address, an ``OutgoingEmail``; it flushes and never commits. Title and
body are rendered in the recipient's language (lazy strings are evaluated for them); e-mails are
written in the instansi's default language (Bahasa Indonesia).

E-mail delivery: without ``MAIL_SERVER`` (development) e-mails are only stored (status STORED)
and a superadmin can read them at ``/notifikasi/email``. With a server they are QUEUED and
``deliver_pending()`` (``flask notifications send-pending``, or a job) sends them over SMTP.
Never put a secret (a password, a token) in a notification or an e-mail.
"""
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.core.models import utcnow
from portal.extensions import db
from portal.notifications.models import EmailStatus, Notification, OutgoingEmail

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30  # seconds, per SMTP command


# ---------------------------------------------------------------- kinds
@dataclass(frozen=True)
class NotificationKind:
    """What an event looks like: its title (a lazy string with ``%(name)s`` placeholders) and
    whether it is e-mailed too (with ``template``, a plain-text Jinja template)."""

    name: str
    title: object
    email: bool = False
    template: str | None = None

    @property
    def email_template(self) -> str:
        return self.template or f"notifications/email/{self.name}.txt"


_KINDS: dict[str, NotificationKind] = {}


def register_kind(name: str, *, title, email: bool = False, template: str | None = None) -> NotificationKind:
    """Declare a notification kind (``module.event``). Raises ValueError if the name is taken."""
    if name in _KINDS:
        raise ValueError(f"notification kind {name!r} is already registered")
    if len(name) > 64:
        raise ValueError(f"notification kind {name!r} is longer than 64 characters")
    kind = NotificationKind(name, title, email, template)
    _KINDS[name] = kind
    return kind


def get_kind(name: str) -> NotificationKind:
    """The registered kind. Raises KeyError for an unknown name (a programming error)."""
    return _KINDS[name]


def registered_kinds() -> list[NotificationKind]:
    return list(_KINDS.values())


# ---------------------------------------------------------------- links
def path_for(endpoint: str, **values) -> str:
    """A site-relative URL for ``endpoint``, also outside a request (jobs, CLI commands)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def is_site_path(url: str | None) -> bool:
    """True for a path on this site (``/pegawai/3``), False for anything that could leave it."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return False
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _absolute(path: str) -> str | None:
    """The link an e-mail carries: MAIL_SITE_URL (or the request's host) + path; None if unknown."""
    base = current_app.config.get("MAIL_SITE_URL") or (request.host_url if has_request_context() else "")
    return base.rstrip("/") + path if base else None


# ---------------------------------------------------------------- notify
def _locale_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if getattr(user, "locale", None) in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _render_title(kind: NotificationKind, title_args) -> str:
    args = {k: str(v) for k, v in (title_args or {}).items()}
    return str(kind.title) % args if args else str(kind.title)


# One plain address: no display name, no list, nothing a mail header could misread.
_ADDRESS = re.compile(r"[^@\s,;:<>()\[\]\\\"]+@[^@\s,;:<>()\[\]\\\"]+\.[^@\s,;:<>()\[\]\\\".]+")


def email_address_of(user) -> str | None:
    """The address to write to: the employee's e-mail, when it is one usable address."""
    employee = getattr(user, "employee", None)
    address = (getattr(employee, "email", None) or "").strip()
    if len(address) > 200 or not _ADDRESS.fullmatch(address):
        return None
    return address


def mail_is_stored_only() -> bool:
    """Development mode: no MAIL_SERVER, so e-mails are stored and never sent."""
    return not current_app.config.get("MAIL_SERVER")


def notify(user, kind: str, *, title_args=None, body=None, url=None, obj=None,
           email: bool | None = None) -> Notification:
    """Notify ``user`` of an event of a registered ``kind``; returns the new notification.

    ``title_args`` fill the kind's title; ``body`` is a string or a lazy string (evaluated in the
    recipient's language); ``url`` a site path (see ``path_for``) the notification opens; ``obj``
    the object it is about. ``email=False`` leaves out the e-mail of a kind that has one (a kind
    registered without e-mail is never e-mailed); an e-mail also needs an active account and an
    address on its employee record. Flushes, never commits.
    Raises KeyError for an unknown kind and ValueError for a URL that leaves the site.
    """
    spec = get_kind(kind)
    user = user._get_current_object() if hasattr(user, "_get_current_object") else user  # current_user
    if url is not None and not is_site_path(url):
        raise ValueError(f"notification URL must be a path on this site: {url!r}")
    with force_locale(_locale_of(user)):
        title = _render_title(spec, title_args)
        body_text = str(body) if body is not None else None
    notification = Notification(
        user=user, kind=spec.name, title=title[:200], body=body_text, url=url,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None) if obj is not None else None)
    db.session.add(notification)
    db.session.flush()
    address = email_address_of(user)
    if spec.email and email is not False and address and user.is_active:
        _write_email(notification, spec, title_args, body, address, user)
    return notification


def _write_email(notification, spec, title_args, body, address, user):
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(default):
        subject = " ".join(_render_title(spec, title_args).split())
        # Templates are rendered straight from the environment: no request or signed-in user
        # is needed (a job may notify), and plain-text templates are not HTML-escaped.
        text = current_app.jinja_env.get_template(spec.email_template).render(
            recipient_name=user.display_name, title=subject,
            body=str(body) if body is not None else None,
            link=_absolute(notification.url or path_for("notifications.list_notifications")),
            instansi_name=current_app.config["INSTANSI_NAME"])
    email = OutgoingEmail(
        to_address=address, subject=f"[Capaian] {subject}"[:300], body_text=text.strip() + "\n",
        status=EmailStatus.STORED if mail_is_stored_only() else EmailStatus.QUEUED,
        notification_id=notification.id)
    db.session.add(email)
    db.session.flush()
    return email


# ---------------------------------------------------------------- reading
def notification_query(user):
    """The user's notifications, newest first."""
    return (sa.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_dt.desc(), Notification.id.desc()))


def unread_count(user) -> int:
    """Unread notifications of ``user``: one COUNT on the (user_id, read_dt) index."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_dt.is_(None)))


class NotificationError(ValueError):
    """A change to a notification that is not allowed."""


def mark_read(notification: Notification, user) -> bool:
    """Mark one of the user's notifications read; False when it already was.

    Raises NotificationError for someone else's notification. Reading is the owner's private
    state, not a business event, so it is not audited.
    """
    if not notification.can_view(user):
        raise NotificationError("not the recipient of this notification")
    if notification.read_dt is not None:
        return False
    notification.read_dt = utcnow()
    db.session.flush()
    return True


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read in one UPDATE; returns how many."""
    result = db.session.execute(
        sa.update(Notification).where(Notification.user_id == user.id, Notification.read_dt.is_(None))
        .values(read_dt=utcnow()).execution_options(synchronize_session="fetch"))
    db.session.flush()
    return result.rowcount or 0


def email_query():
    """The e-mail outbox, newest first."""
    return sa.select(OutgoingEmail).order_by(OutgoingEmail.created_dt.desc(), OutgoingEmail.id.desc())


# ---------------------------------------------------------------- delivery
@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    deferred: int = 0  # left QUEUED for the next run (server unreachable, temporary refusal)


def _error_text(exc) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _connection_lost(exc) -> bool:
    # SMTPException derives from OSError: a plain OSError (reset, timeout) is a network failure.
    return isinstance(exc, smtplib.SMTPServerDisconnected) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException))


def _is_temporary(exc) -> bool:
    """Connection trouble and 4xx replies are worth another try; 5xx replies are final."""
    if _connection_lost(exc):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return False


def _message(email: OutgoingEmail, config) -> EmailMessage:
    sender = config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["Subject"] = " ".join(email.subject.split())
    msg["From"] = sender
    msg["To"] = email.to_address
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=domain)  # an explicit domain avoids a slow getfqdn()
    msg["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to an unread mailbox
    msg.set_content(email.body_text)
    if email.body_html:
        msg.add_alternative(email.body_html, subtype="html")
    return msg


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=SMTP_TIMEOUT)
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def deliver_pending(limit: int = 100) -> DeliveryResult:
    """Send up to ``limit`` QUEUED e-mails over one SMTP connection, oldest first.

    Each becomes SENT, or FAILED with the server's error; when the server cannot be reached or
    answers with a temporary (4xx) error the e-mail stays QUEUED with the error noted, for the
    next run. Does nothing without MAIL_SERVER. Rows are locked (skipped by a concurrent run on
    PostgreSQL/MariaDB); flushes, the caller commits. Delivery is at least once: a crash between
    sending and the commit sends again.
    """
    result = DeliveryResult()
    config = current_app.config
    if mail_is_stored_only():
        return result
    emails = db.session.scalars(
        sa.select(OutgoingEmail).where(OutgoingEmail.status == EmailStatus.QUEUED)
        .order_by(OutgoingEmail.id).limit(limit).with_for_update(skip_locked=True)).all()
    if not emails:
        return result
    try:
        smtp = _connect(config)
    except OSError as exc:  # includes SMTPException (refused login, no STARTTLS…)
        log.warning("SMTP server %s unreachable: %s", config["MAIL_SERVER"], exc)
        for email in emails:
            email.error = _error_text(exc)
        result.deferred = len(emails)
        db.session.flush()
        return result
    try:
        for index, email in enumerate(emails):
            try:
                smtp.send_message(_message(email, config))
            except (OSError, ValueError) as exc:  # OSError includes every SMTPException
                email.error = _error_text(exc)
                if _connection_lost(exc):
                    # The connection is gone: this one and the rest wait for the next run.
                    for rest in emails[index + 1:]:
                        rest.error = email.error
                    result.deferred += len(emails) - index
                    break
                if _is_temporary(exc):
                    result.deferred += 1
                else:
                    email.status = EmailStatus.FAILED
                    result.failed += 1
            else:
                email.status, email.sent_dt, email.error = EmailStatus.SENT, utcnow(), None
                result.sent += 1
    finally:
        try:
            smtp.quit()
        except OSError:
            smtp.close()
    db.session.flush()
    return result


# ---------------------------------------------------------------- kinds of today's events
# Accounts (portal.auth.admin_services)
ROLE_GRANTED = register_kind("account.role_granted", title=_l("Anda mendapat peran %(role)s"), email=True)
ROLE_REVOKED = register_kind("account.role_revoked", title=_l("Peran %(role)s Anda dicabut"), email=True)
# In-app only: the password itself is never part of a notification or an e-mail.
PASSWORD_ISSUED = register_kind("account.password_issued",
                                title=_l("Kata sandi sekali pakai diterbitkan untuk akun Anda"))
# People (portal.people.services, portal.people.importing.workflow)
IMPORT_COMMITTED = register_kind("people.import_committed", title=_l("Impor %(filename)s tersimpan"))
TRANSFERRED = register_kind("people.transferred", title=_l("Mutasi Anda ke %(unit)s sudah dicatat"), email=True)
NEW_SUBORDINATE = register_kind("people.new_subordinate",
                                title=_l("%(name)s kini menjadi bawahan langsung Anda"), email=True)
