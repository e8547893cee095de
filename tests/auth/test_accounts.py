"""Account and role administration: list, one-time passwords, grants, status, new administrators."""
import re

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User, UserRole
from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.conftest import count_rows
from tests.factories import PASSWORD

NEW_PASSWORD = "Kata-Sandi-Baru-2024"


def _text(response):
    return response.get_data(as_text=True)


def _main(response):
    body = _text(response)
    return body[body.index("<main"):body.index("</main>")]


def _otp(response) -> str:
    match = re.search(r'<p class="otp[^"]*" id="otp">([^<]+)</p>', _text(response))
    assert match, "no one-time password on the page"
    return match.group(1).strip()


def _audit(action, user):
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.object_type == "User", AuditEntry.object_id == user.id)).all()


def _grant_exists(grant_id) -> bool:
    return db.session.scalar(sa.select(UserRole.id).where(UserRole.id == grant_id)) is not None


def _reload(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


# ---------------------------------------------------------------- access
@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan"])
def test_only_superadmin_reaches_account_pages(world, login_as, role):
    client = login_as(role)
    target = world.users["pegawai"]
    assert client.get("/akun/").status_code == 403
    assert client.get(f"/akun/pegawai/{world.staff_b.id}").status_code == 403
    assert client.get(f"/akun/{target.id}").status_code == 403
    assert client.post(f"/akun/{target.id}/peran", data={"role": "superadmin"}).status_code == 403
    assert client.post(f"/akun/{target.id}/kata-sandi", data={"confirm": "1"}).status_code == 403
    assert client.post("/akun/admin-baru", data={"username": "penyusup", "full_name": "X",
                                                 "roles": ["superadmin"]}).status_code == 403
    assert not _reload(target).has_role(Role.SUPERADMIN)
    assert db.session.scalar(sa.select(User).where(User.username == "penyusup")) is None


# ---------------------------------------------------------------- list
def test_list_shows_accounts_with_roles_scope_and_flags(world, login_as):
    world.users["pegawai"].must_change_password = True
    db.session.flush()
    page = _main(login_as("superadmin").get("/akun/"))
    for name in ("Staf Alpha", "Admin Alpha", "Petugas BKPSDM", "Sekda Uji", "Admin Uji"):
        assert name in page
    assert "Admin OPD · Dinas Alpha" in page
    assert "Wajib ganti kata sandi" in page and "belum pernah" in page
    assert "Staf Beta" not in page  # no account yet


@pytest.mark.parametrize("query, found, hidden", [
    ({"q": "petugas"}, "Petugas BKPSDM", "Staf Alpha"),
    ({"q": "superadmin"}, "Admin Uji", "Staf Alpha"),
    ({"role": "admin_opd"}, "Admin Alpha", "Petugas BKPSDM"),
    ({"role": "tidak-dikenal"}, "Petugas BKPSDM", "Staf Beta"),
])
def test_list_searches_and_filters(world, login_as, query, found, hidden):
    page = _main(login_as("superadmin").get("/akun/", query_string=query))
    assert found in page and hidden not in page


def test_list_searches_by_grouped_nip(world, login_as):
    nip = world.staff_a1.nip
    page = _main(login_as("superadmin").get("/akun/", query_string={"q": f"{nip[:8]} {nip[8:14]}"}))
    assert "Staf Alpha" in page


def test_list_of_employees_without_an_account(world, login_as):
    page = _main(login_as("superadmin").get("/akun/", query_string={"tampil": "tanpa-akun"}))
    assert "Staf Beta" in page and "Kepala Alpha" in page
    assert "Staf Alpha" not in page and "Petugas BKPSDM" not in page
    assert f'/akun/pegawai/{world.staff_b.id}"' in page
    assert 'aria-current="page"' in page


def test_list_htmx_returns_only_the_results(world, login_as):
    client = login_as("superadmin")
    response = client.get("/akun/", query_string={"q": "alpha"}, headers={"HX-Request": "true"})
    body = _text(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="result-count"' in body and "Staf Alpha" in body
    body = _text(client.get("/akun/", query_string={"tampil": "tanpa-akun", "q": "beta"},
                            headers={"HX-Request": "true"}))
    assert "<html" not in body and "Staf Beta" in body


def test_list_paginates(world, login_as, factory):
    for i in range(30):
        factory.user(factory.employee(unit=world.dinas_b, name=f"Zulaikha {i:02d}"))
    client = login_as("superadmin")
    first = _main(client.get("/akun/", query_string={"q": "zulaikha"}))
    assert "30 akun ditemukan" in first and 'rel="next"' in first
    assert _main(client.get("/akun/", query_string={"q": "zulaikha", "page": 2})).count("Zulaikha ") == 5


# ---------------------------------------------------------------- account page, one-time password
def test_employee_page_without_account_creates_nothing_on_get(world, login_as):
    before = count_rows(User)
    page = _main(login_as("superadmin").get(f"/akun/pegawai/{world.staff_b.id}"))
    assert "Belum ada akun" in page and "Buat akun dan kata sandi" in page and "data-confirm=" in page
    assert count_rows(User) == before and world.staff_b.user is None


def test_create_account_shows_the_one_time_password_once(world, login_as):
    client = login_as("superadmin")
    response = client.post(f"/akun/pegawai/{world.staff_b.id}/kata-sandi", data={"confirm": "1"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    otp = _otp(response)
    assert "wajib diganti saat pertama kali masuk" in _text(response)
    user = db.session.scalar(sa.select(User).where(User.employee_id == world.staff_b.id))
    assert user.must_change_password and user.check_password(otp)
    assert otp not in (user.password_hash or "")
    assert _audit("create_account", user) and _audit("reset_password", user)
    # Shown once: the account page does not repeat it.
    again = _text(client.get(f"/akun/pegawai/{world.staff_b.id}"))
    assert otp not in again and "Wajib diganti saat masuk" in again


def test_one_time_password_signs_in_and_forces_a_new_password(world, login_as, app):
    otp = _otp(login_as("superadmin").post(f"/akun/pegawai/{world.staff_b.id}/kata-sandi",
                                           data={"confirm": "1"}))
    client = app.test_client()
    response = client.post("/masuk", data={"login": world.staff_b.nip, "password": otp})
    assert response.status_code == 302 and response.headers["Location"].endswith("/akun/kata-sandi")
    for url in ("/", "/unit/", f"/pegawai/{world.staff_b.id}", "/pegawai/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/akun/kata-sandi"), url
    response = client.post("/akun/kata-sandi", data={"current_password": otp, "new_password": NEW_PASSWORD,
                                                     "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not world.staff_b.user.must_change_password


def test_reset_password_of_an_existing_account(world, login_as):
    target = world.users["pegawai"]
    client = login_as("superadmin")
    response = client.post(f"/akun/{target.id}/kata-sandi", data={"confirm": "1"})
    otp = _otp(response)
    target = _reload(target)
    assert target.check_password(otp) and not target.check_password(PASSWORD) and target.must_change_password


def test_superadmin_cannot_reset_their_own_password_here(world, login_as):
    me = world.users["superadmin"]
    page = _text(login_as("superadmin").post(f"/akun/{me.id}/kata-sandi", data={"confirm": "1"},
                                             follow_redirects=True))
    assert "Ganti kata sandi" in page and 'id="otp"' not in page
    assert _reload(me).check_password(PASSWORD)


def test_a_bare_post_changes_nothing(world, login_as):
    target = world.users["pegawai"]
    client = login_as("superadmin")
    for url in (f"/akun/{target.id}/kata-sandi", f"/akun/{target.id}/status",
                f"/akun/peran/{world.users['admin_opd'].roles[0].id}/cabut",
                f"/akun/pegawai/{world.staff_b.id}/kata-sandi"):
        response = client.post(url, data={})
        assert response.status_code == 302, url
    target = _reload(target)
    assert target.check_password(PASSWORD) and target.active
    assert _reload(world.users["admin_opd"]).has_role(Role.ADMIN_OPD) and world.staff_b.user is None


def test_non_asn_account_page(world, login_as):
    admin = world.users["superadmin"]
    page = _main(login_as("superadmin").get(f"/akun/{admin.id}"))
    assert "Administrator non-ASN" in page and "superadmin" in page
    assert "Ini akun Anda sendiri" in page and "Nonaktifkan akun" not in page
    assert login_as("superadmin").get("/akun/999999").status_code == 404


# ---------------------------------------------------------------- roles
def test_grant_admin_opd_requires_a_unit(world, login_as):
    target = world.users["pegawai"]
    client = login_as("superadmin")
    response = client.post(f"/akun/{target.id}/peran", data={"role": "admin_opd", "org_unit": ""})
    assert response.status_code == 200 and "harus dibatasi pada satu unit kerja" in _text(response)
    response = client.post(f"/akun/{target.id}/peran", data={"role": "admin_opd",
                                                             "org_unit": world.bidang_a1.id})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/akun/pegawai/{world.staff_a1.id}")
    target = _reload(target)
    assert [(g.role, g.org_unit_id) for g in target.roles] == [(Role.ADMIN_OPD, world.bidang_a1.id)]
    assert _audit("grant_role", target)[-1].to_state == "admin_opd"


def test_grant_ignores_the_unit_for_other_roles_and_refuses_duplicates(world, login_as):
    target = world.users["pegawai"]
    client = login_as("superadmin")
    client.post(f"/akun/{target.id}/peran", data={"role": "bkpsdm", "org_unit": world.dinas_a.id})
    target = _reload(target)
    assert [(g.role, g.org_unit_id) for g in target.roles] == [(Role.BKPSDM, None)]
    response = client.post(f"/akun/{target.id}/peran", data={"role": "bkpsdm"})
    assert response.status_code == 200 and "sudah memiliki peran tersebut" in _text(response)
    response = client.post(f"/akun/{target.id}/peran", data={"role": "pegawai"})
    assert response.status_code == 200 and len(_reload(target).roles) == 1


def test_granted_role_takes_effect(world, login_as):
    target = world.users["pegawai"]
    login_as("superadmin").post(f"/akun/{target.id}/peran", data={"role": "bkpsdm"})
    assert login_as("pegawai").get("/unit/baru").status_code == 200


def test_revoke_role(world, login_as):
    admin = world.users["admin_opd"]
    grant = admin.roles[0]
    response = login_as("superadmin").post(f"/akun/peran/{grant.id}/cabut", data={"confirm": "1"})
    assert response.status_code == 302
    assert not _grant_exists(grant.id)
    assert not _reload(admin).has_role(Role.ADMIN_OPD)
    assert _audit("revoke_role", admin)[-1].from_state == "admin_opd"


def test_last_superadmin_cannot_revoke_their_own_role(world, login_as):
    me = world.users["superadmin"]
    grant = me.roles[0]
    page = _text(login_as("superadmin").post(f"/akun/peran/{grant.id}/cabut", data={"confirm": "1"},
                                             follow_redirects=True))
    assert "superadmin aktif terakhir" in page
    assert _grant_exists(grant.id)


def test_inactive_superadmins_do_not_count_as_a_replacement(world, login_as, factory):
    other = factory.user(username="cadangan", roles=["superadmin"])
    other.active = False
    db.session.flush()
    grant = world.users["superadmin"].roles[0]
    login_as("superadmin").post(f"/akun/peran/{grant.id}/cabut", data={"confirm": "1"})
    assert _grant_exists(grant.id)


def test_superadmin_may_step_down_when_another_remains(world, login_as, factory):
    factory.user(username="penerus", roles=["superadmin"])
    grant = world.users["superadmin"].roles[0]
    login_as("superadmin").post(f"/akun/peran/{grant.id}/cabut", data={"confirm": "1"})
    assert not _grant_exists(grant.id)


# ---------------------------------------------------------------- status
def test_deactivate_and_reactivate_an_account(world, login_as, app):
    target = world.users["pegawai"]
    client = login_as("superadmin")
    signed_in = login_as("pegawai")
    response = client.post(f"/akun/{target.id}/status", data={"active": "0", "confirm": "1"})
    assert response.status_code == 302
    assert not _reload(target).active and _audit("deactivate_account", target)
    # Open sessions end, and the password no longer signs in.
    assert signed_in.get("/").status_code == 302
    assert app.test_client().post("/masuk", data={"login": target.login_name,
                                                  "password": PASSWORD}).status_code == 200
    client.post(f"/akun/{target.id}/status", data={"active": "1", "confirm": "1"})
    assert _reload(target).active and _audit("activate_account", target)


def test_superadmin_cannot_deactivate_themselves(world, login_as):
    me = world.users["superadmin"]
    page = _text(login_as("superadmin").post(f"/akun/{me.id}/status", data={"active": "0", "confirm": "1"},
                                             follow_redirects=True))
    assert "tidak dapat menonaktifkan akun Anda sendiri" in page
    assert _reload(me).active


def test_last_active_superadmin_cannot_be_deactivated(world, login_as, factory):
    from portal.auth import admin_services
    from portal.auth.services import AccountError
    me = world.users["superadmin"]
    other = factory.user(username="kedua", roles=["superadmin"])
    admin_services.set_active(other, False, by=me)  # another one remains: allowed
    with pytest.raises(AccountError):
        admin_services.set_active(me, False, by=other)


# ---------------------------------------------------------------- non-ASN administrators
def test_create_a_non_asn_administrator(world, login_as, app):
    client = login_as("superadmin")
    assert "Tambah administrator non-ASN" in _text(client.get("/akun/admin-baru"))
    response = client.post("/akun/admin-baru", data={
        "username": "Operator.TI", "full_name": " Budi  Operator ", "roles": ["bkpsdm", "admin_opd"],
        "org_unit": world.dinas_b.id})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    otp = _otp(response)
    user = db.session.scalar(sa.select(User).where(User.username == "operator.ti"))
    assert user.full_name == "Budi Operator" and user.must_change_password and user.employee_id is None
    assert sorted((g.role.value, g.org_unit_id) for g in user.roles) == [
        ("admin_opd", world.dinas_b.id), ("bkpsdm", None)]
    assert _audit("create_account", user)
    new_client = app.test_client()
    response = new_client.post("/masuk", data={"login": "operator.ti", "password": otp})
    assert response.headers["Location"].endswith("/akun/kata-sandi")


@pytest.mark.parametrize("data, message", [
    ({"username": "superadmin", "full_name": "Lain", "roles": ["superadmin"]}, "sudah dipakai"),
    ({"username": "baru", "full_name": "Baru", "roles": []}, "paling sedikit satu peran"),
    ({"username": "baru", "full_name": "Baru", "roles": ["admin_opd"]}, "harus dibatasi pada satu unit"),
    ({"username": "12 3", "full_name": "Baru", "roles": ["pimpinan"]}, "diawali huruf"),
    ({}, "Nama pengguna wajib diisi."),
])
def test_new_administrator_errors(world, login_as, data, message):
    before = count_rows(User)
    response = login_as("superadmin").post("/akun/admin-baru", data=data)
    assert response.status_code == 200 and message in _text(response)
    assert count_rows(User) == before
