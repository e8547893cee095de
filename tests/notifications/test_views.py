"""The bell, the list, opening a notification, marking all read and the e-mail outbox."""
import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.notifications import services
from portal.notifications.models import EmailStatus, Notification, OutgoingEmail
from tests.conftest import count_statements as sql_statements


def _text(response):
    return response.get_data(as_text=True)


def _bell(body):
    start = body.index('id="notification-bell"')
    return body[start:body.index("</div>", start)]


def _main(body):
    return body[body.index("<main"):body.index("</main>")]


def _notify(user, n=1, **kwargs):
    return [services.notify(user, "people.import_committed", title_args={"filename": f"berkas-{i}.csv"}, **kwargs)
            for i in range(n)]


# ---------------------------------------------------------------- the bell
def test_bell_shows_the_unread_count(world, login_as):
    user = world.users["pegawai"]
    _notify(user, 3)
    services.mark_read(_notify(user)[0], user)
    _notify(world.users["bkpsdm"], 2)  # someone else's
    bell = _bell(_text(login_as("pegawai").get("/")))
    assert 'data-unread="3"' in bell and ">3</span>" in bell
    assert '<span class="visually-hidden">3 notifikasi belum dibaca</span>' in bell
    assert 'href="/notifikasi/"' in bell
    assert 'data-hx-get="/notifikasi/?bagian=lonceng"' in bell and 'data-hx-trigger="every 60s"' in bell


def test_bell_without_unread_has_no_badge(world, login_as):
    bell = _bell(_text(login_as("pegawai").get("/")))
    assert "data-unread" not in bell and '<span class="visually-hidden">Notifikasi</span>' in bell


def test_bell_caps_a_large_count(world, login_as):
    _notify(world.users["pegawai"], 100)
    assert ">99+</span>" in _bell(_text(login_as("pegawai").get("/")))


def test_no_bell_for_anonymous_or_an_account_that_must_change_its_password(world, login_as, app):
    assert 'id="notification-bell"' not in _text(app.test_client().get("/masuk"))
    user = world.users["pegawai"]
    user.must_change_password = True
    db.session.flush()
    client = login_as("pegawai")
    page = _text(client.get("/akun/kata-sandi"))
    assert "<form" in page and 'id="notification-bell"' not in page


def test_htmx_bell_is_only_the_partial_and_one_query(world, login_as):
    _notify(world.users["pegawai"], 2)
    client = login_as("pegawai")
    client.get("/")  # warm-up
    with sql_statements() as statements:
        response = client.get("/notifikasi/", query_string={"bagian": "lonceng"}, headers={"HX-Request": "true"})
    body = _text(response)
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="notification-bell"') and 'data-unread="2"' in body
    assert "HX-Request" in response.headers.get("Vary", "")
    assert len([s for s in statements if "notification" in s.lower()]) == 1


def test_bell_flag_without_htmx_is_the_full_list(world, login_as):
    body = _text(login_as("pegawai").get("/notifikasi/", query_string={"bagian": "lonceng"}))
    assert "<html" in body and "<h1" in body


def _page_statements(client, url="/pegawai/"):
    client.get(url)  # warm-up (first-request caches)
    with sql_statements() as statements:
        assert client.get(url).status_code == 200
    return statements


def test_bell_costs_one_statement_per_page(world, login_as, monkeypatch):
    client = login_as("pegawai")
    _notify(world.users["pegawai"], 30)
    with_bell = _page_statements(client)
    assert len([s for s in with_bell if "from notification" in s.lower()]) == 1
    # The same page without the bell's query: exactly one statement fewer.
    monkeypatch.setattr(services, "unread_count", lambda user: 0)
    without = _page_statements(client)
    assert len(with_bell) == len(without) + 1


def test_bell_cost_does_not_grow_with_notifications(world, login_as):
    client = login_as("pegawai")
    before = len(_page_statements(client))
    _notify(world.users["pegawai"], 40)
    assert len(_page_statements(client)) == before


def test_partials_do_not_count(world, login_as):
    client = login_as("pegawai")
    client.get("/pegawai/", headers={"HX-Request": "true"})
    with sql_statements() as statements:
        client.get("/pegawai/", query_string={"q": "alpha"}, headers={"HX-Request": "true"})
    assert not [s for s in statements if "from notification" in s.lower()]


# ---------------------------------------------------------------- the list
def test_list_shows_own_notifications_newest_first_with_unread_marked(world, login_as):
    user = world.users["pegawai"]
    old, new = _notify(user, 2)
    old.created_dt = old.created_dt.replace(year=old.created_dt.year - 1)
    services.mark_read(old, user)
    services.notify(world.users["bkpsdm"], "account.password_issued")
    db.session.flush()
    page = _main(_text(login_as("pegawai").get("/notifikasi/")))
    assert page.index("berkas-1.csv") < page.index("berkas-0.csv")  # newest first
    items = re.findall(r'<li class="list-group-item([^"]*)" data-notification="(\d+)"( data-unread)?', page)
    assert [(int(i), bool(u)) for _, i, u in items] == [(new.id, True), (old.id, False)]
    assert "Belum dibaca:" in page and "Tandai semua sudah dibaca" in page
    assert "2 notifikasi · 1 belum dibaca" in page
    assert "Kata sandi sekali pakai" not in page  # another account's


def test_list_empty_state(world, login_as):
    page = _main(_text(login_as("pegawai").get("/notifikasi/")))
    assert "Belum ada notifikasi" in page and "Tandai semua" not in page and "<form" not in page


def test_list_htmx_returns_the_partial_and_paginates(world, login_as):
    _notify(world.users["pegawai"], 30)
    client = login_as("pegawai")
    response = client.get("/notifikasi/", query_string={"page": 2}, headers={"HX-Request": "true"})
    body = _text(response)
    assert "<html" not in body and 'id="notification-count"' in body
    assert len(re.findall(r'data-notification="', body)) == 5 and "halaman 2 dari 2" in body
    assert len(re.findall(r'data-notification="', _text(client.get("/notifikasi/")))) == 25
    assert client.get("/notifikasi/", query_string={"page": "x"}).status_code == 200


# ---------------------------------------------------------------- opening one
def test_opening_marks_read_and_goes_to_its_page(world, login_as):
    user = world.users["pegawai"]
    [n] = _notify(user, url=f"/pegawai/{world.staff_a1.id}")
    client = login_as("pegawai")
    response = client.post(f"/notifikasi/{n.id}/baca")
    assert response.status_code == 302 and response.headers["Location"] == f"/pegawai/{world.staff_a1.id}"
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is not None
    assert "data-unread" not in _bell(_text(client.get("/")))


@pytest.mark.parametrize("url", [None, "https://evil.example/", "//evil.example/x", "/\\evil.example",
                                 "javascript:alert(1)"])
def test_opening_never_leaves_the_site(world, login_as, url):
    n = Notification(user=world.users["pegawai"], kind="people.import_committed", title="Uji", url=url)
    db.session.add(n)
    db.session.flush()
    response = login_as("pegawai").post(f"/notifikasi/{n.id}/baca")
    assert response.status_code == 302 and response.headers["Location"] == "/notifikasi/"


def test_another_users_notification_is_forbidden(world, login_as):
    [n] = _notify(world.users["bkpsdm"], url="/")
    client = login_as("pegawai")
    assert client.post(f"/notifikasi/{n.id}/baca").status_code == 403
    assert login_as("superadmin").post(f"/notifikasi/{n.id}/baca").status_code == 403
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is None
    assert client.post("/notifikasi/999999999/baca").status_code == 404


def test_opening_is_post_only(world, login_as):
    [n] = _notify(world.users["pegawai"])
    assert login_as("pegawai").get(f"/notifikasi/{n.id}/baca").status_code == 405
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is None


def test_opening_needs_the_csrf_token(world, login_as, app, monkeypatch):
    [n] = _notify(world.users["pegawai"])
    client = login_as("pegawai")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/notifikasi/{n.id}/baca").status_code == 400
    assert client.post("/notifikasi/baca-semua").status_code == 400
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is None


def test_mark_all_read(world, login_as):
    _notify(world.users["pegawai"], 3)
    [other] = _notify(world.users["bkpsdm"])
    client = login_as("pegawai")
    response = client.post("/notifikasi/baca-semua", follow_redirects=True)
    page = _text(response)
    assert "3 notifikasi ditandai sudah dibaca." in page and "data-unread" not in page
    assert services.unread_count(world.users["pegawai"]) == 0
    db.session.expire_all()
    assert db.session.get(Notification, other.id).read_dt is None


# ---------------------------------------------------------------- the e-mail outbox (development)
@pytest.fixture
def stored_email(world):
    email = OutgoingEmail(to_address="staf@example.go.id", subject="[Capaian] Anda mendapat peran BKPSDM",
                          body_text="Yth. Staf,\n\n<b>tidak tebal</b>\nhttp://localhost/notifikasi/\n",
                          status=EmailStatus.STORED)
    db.session.add(email)
    db.session.flush()
    return email


def test_superadmin_reads_stored_emails(world, login_as, stored_email):
    client = login_as("superadmin")
    assert "E-mail tersimpan" in _main(_text(client.get("/notifikasi/")))
    page = _main(_text(client.get("/notifikasi/email")))
    assert "staf@example.go.id" in page and "Disimpan (tidak dikirim)" in page
    assert f'href="/notifikasi/email/{stored_email.id}"' in page
    detail = _main(_text(client.get(f"/notifikasi/email/{stored_email.id}")))
    assert "<pre" in detail and "Yth. Staf," in detail
    assert "&lt;b&gt;tidak tebal&lt;/b&gt;" in detail and "<b>tidak tebal" not in detail
    partial = _text(client.get("/notifikasi/email", headers={"HX-Request": "true"}))
    assert "<html" not in partial and "staf@example.go.id" in partial
    assert client.get("/notifikasi/email/999999999").status_code == 404


def test_outbox_empty_state(world, login_as):
    assert "Belum ada e-mail" in _text(login_as("superadmin").get("/notifikasi/email"))


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan"])
def test_outbox_is_superadmin_only(world, login_as, stored_email, role):
    client = login_as(role)
    assert client.get("/notifikasi/email").status_code == 403
    assert client.get(f"/notifikasi/email/{stored_email.id}").status_code == 403
    assert "E-mail tersimpan" not in _text(client.get("/notifikasi/"))


def test_outbox_does_not_exist_with_a_mail_server(world, login_as, stored_email, mail_server):
    client = login_as("superadmin")
    assert client.get("/notifikasi/email").status_code == 404
    assert client.get(f"/notifikasi/email/{stored_email.id}").status_code == 404
    assert "E-mail tersimpan" not in _text(client.get("/notifikasi/"))


def test_outbox_lists_newest_first(world, login_as):
    for i in range(3):
        db.session.add(OutgoingEmail(to_address=f"p{i}@example.go.id", subject=f"[Capaian] Nomor {i}",
                                     body_text="x", status=EmailStatus.STORED))
    db.session.flush()
    page = _main(_text(login_as("superadmin").get("/notifikasi/email")))
    ids = [int(x) for x in re.findall(r'href="/notifikasi/email/(\d+)"', page)]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 3


def test_pages_render_when_the_count_fails(world, login_as, monkeypatch):
    def broken(user):
        raise sa.exc.OperationalError("SELECT count(*)", {}, Exception("database gone"))
    monkeypatch.setattr(services, "unread_count", broken)
    response = login_as("pegawai").get("/")
    assert response.status_code == 200
    bell = _bell(_text(response))
    assert "data-unread" not in bell and "Notifikasi" in bell
