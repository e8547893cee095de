"""notify(), the kind registry, reading state and the unread count."""
import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.notifications import services
from portal.notifications.models import EmailStatus, Notification, OutgoingEmail
from tests.conftest import count_rows
from tests.conftest import count_statements as sql_statements
from tests.notifications.conftest import ADDRESS


def _emails():
    return db.session.scalars(sa.select(OutgoingEmail).order_by(OutgoingEmail.id)).all()


# ---------------------------------------------------------------- notify
def test_notify_writes_the_in_app_row(world):
    user = world.users["pegawai"]
    n = services.notify(user, "people.transferred", title_args={"unit": "Dinas Beta"},
                        body="Jabatan: Analis. Berlaku mulai 01-02-2026.", url="/pegawai/1", obj=world.staff_a1)
    stored = db.session.get(Notification, n.id)
    assert stored.user_id == user.id and stored.kind == "people.transferred"
    assert stored.title == "Mutasi Anda ke Dinas Beta sudah dicatat"
    assert stored.body == "Jabatan: Analis. Berlaku mulai 01-02-2026." and stored.url == "/pegawai/1"
    assert (stored.object_type, stored.object_id) == ("Employee", world.staff_a1.id)
    assert stored.read_dt is None and stored.created_dt is not None
    assert count_rows(OutgoingEmail) == 0  # no address on the employee record


def test_email_is_stored_in_development(recipient, world, app):
    services.notify(recipient, "account.role_granted", title_args={"role": "Pimpinan"}, url="/pegawai/7")
    [email] = _emails()
    assert email.status is EmailStatus.STORED and email.to_address == ADDRESS
    assert email.subject == "[Capaian] Anda mendapat peran Pimpinan"
    text = email.body_text
    assert text.startswith(f"Yth. {world.staff_a1.display_name},")
    assert "Anda mendapat peran Pimpinan." in text
    assert "http://localhost/pegawai/7" in text  # absolute, from the request's host
    assert app.config["INSTANSI_NAME"] in text
    assert email.notification_id is not None and email.sent_dt is None


def test_email_link_uses_mail_site_url(recipient, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SITE_URL", "https://capaian.contoh.go.id/")
    services.notify(recipient, "account.role_granted", title_args={"role": "BKPSDM"})
    assert "https://capaian.contoh.go.id/notifikasi/" in _emails()[0].body_text  # no URL: the list


def test_email_is_queued_when_a_server_is_configured(recipient, mail_server):
    services.notify(recipient, "account.role_revoked", title_args={"role": "Admin OPD"})
    [email] = _emails()
    assert email.status is EmailStatus.QUEUED and email.subject == "[Capaian] Peran Admin OPD Anda dicabut"


def test_in_app_only_kinds_and_email_false_write_no_email(recipient):
    services.notify(recipient, "account.password_issued")
    services.notify(recipient, "people.import_committed", title_args={"filename": "a.csv"})
    services.notify(recipient, "account.role_granted", title_args={"role": "BKPSDM"}, email=False)
    services.notify(recipient, "account.password_issued", email=True)  # cannot switch e-mail on
    assert count_rows(Notification) == 4 and count_rows(OutgoingEmail) == 0


def test_no_email_for_an_inactive_account_or_an_unusable_address(recipient, world):
    recipient.active = False
    services.notify(recipient, "account.role_revoked", title_args={"role": "BKPSDM"})
    recipient.active = True
    world.staff_a1.email = "bukan alamat"
    services.notify(recipient, "account.role_revoked", title_args={"role": "BKPSDM"})
    assert count_rows(Notification) == 2 and count_rows(OutgoingEmail) == 0


@pytest.mark.parametrize("address, usable", [
    ("staf.alpha@example.go.id", True), ("  Staf+1@Dinas.Example.go.id ", True),
    ("a@b.c, korban@example.go.id", False), ("a@b.c;x@y.z", False), ("Staf <a@b.c>", False),
    ("a@b", False), ("a@@b.c", False), ("", False), (None, False), ("a@b.c\r\nBcc: x@y.z", False),
])
def test_only_one_plain_address_is_used(world, address, usable):
    world.staff_a1.email = address
    assert (services.email_address_of(world.users["pegawai"]) is not None) is usable


def test_title_follows_the_recipients_language_and_the_email_stays_indonesian(recipient, monkeypatch):
    monkeypatch.setitem(services._KINDS, "test.home", services.NotificationKind(
        "test.home", _l("Beranda"), email=True, template="notifications/email/people.new_subordinate.txt"))
    recipient.locale = "en"
    n = services.notify(recipient, "test.home", body=_l("Beranda"))
    assert (n.title, n.body) == ("Home", "Home")
    email = _emails()[0]
    assert email.subject == "[Capaian] Beranda" and "Beranda." in email.body_text


def test_unknown_kind_and_foreign_url_are_refused(recipient):
    with pytest.raises(KeyError):
        services.notify(recipient, "tidak.ada")
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            services.notify(recipient, "account.password_issued", url=url)
    assert count_rows(Notification) == 0


def test_register_kind_refuses_a_taken_name():
    with pytest.raises(ValueError):
        services.register_kind("account.role_granted", title=_l("Lagi"))


def test_every_email_kind_has_a_template_that_renders(app, recipient):
    kinds = [k for k in services.registered_kinds() if k.email]
    assert {k.name for k in kinds} >= {"account.role_granted", "account.role_revoked", "people.transferred",
                                       "people.new_subordinate"}
    for kind in kinds:
        text = app.jinja_env.get_template(kind.email_template).render(
            recipient_name="Budi", title="Judul", body="Isi", link="http://x/y", instansi_name="Kab Uji")
        assert "Yth. Budi" in text and "http://x/y" in text and "Kab Uji" in text


def test_password_kind_is_not_emailed():
    assert services.get_kind("account.password_issued").email is False


# ---------------------------------------------------------------- links
@pytest.mark.parametrize("url, ok", [
    ("/pegawai/3", True), ("/impor/2?x=1#a", True), ("/", True),
    ("", False), (None, False), ("pegawai/3", False), ("//evil.example", False), ("/\\evil.example", False),
    ("https://evil.example/", False), ("http://localhost/pegawai", False), ("javascript:alert(1)", False),
    ("/ok\r\nSet-Cookie: x", False), ("/\tevil", False),
])
def test_is_site_path(url, ok):
    assert services.is_site_path(url) is ok


def test_path_for_works_outside_a_request(app):
    with app.app_context():
        assert services.path_for("imports.show_import", batch_id=5) == "/impor/5"


# ---------------------------------------------------------------- reading
def test_unread_count_mark_read_and_mark_all(world):
    user, other = world.users["pegawai"], world.users["bkpsdm"]
    first = services.notify(user, "account.password_issued")
    services.notify(user, "account.password_issued")
    services.notify(user, "account.password_issued")
    services.notify(other, "account.password_issued")
    assert services.unread_count(user) == 3
    assert services.mark_read(first, user) is True
    assert services.mark_read(first, user) is False  # already read: unchanged
    assert services.unread_count(user) == 2
    with pytest.raises(services.NotificationError):
        services.mark_read(first, other)
    assert services.mark_all_read(user) == 2
    assert services.unread_count(user) == 0 and services.unread_count(other) == 1
    assert db.session.get(Notification, first.id).read_dt is not None


def test_unread_count_is_one_count_query_on_the_index(world):
    user = world.users["pegawai"]
    services.notify(user, "account.password_issued")
    db.session.flush()
    with sql_statements() as statements:
        assert services.unread_count(user) == 1
    assert len(statements) == 1 and "count(" in statements[0].lower()
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in db.session.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM notification WHERE user_id = :u AND read_dt IS NULL"),
            {"u": user.id}))
        assert "ix_notification_user_unread" in plan
