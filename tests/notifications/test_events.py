"""Today's events notify the people they concern: role grants and revocations, one-time
passwords, committed imports and transfers (mutasi)."""
from datetime import date

import sqlalchemy as sa

from portal.auth.models import Role, User, UserRole
from portal.extensions import db
from portal.notifications.models import EmailStatus, Notification, OutgoingEmail
from portal.people import importing, services
from tests.notifications.conftest import ADDRESS
from tests.people.test_importer import person, preview


def _notifications(user, kind=None):
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.scalars(stmt.order_by(Notification.id)).all()


def _emails(to=ADDRESS):
    return db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.to_address == to)).all()


def test_granting_a_role_notifies_and_emails_the_account(world, login_as, recipient):
    response = login_as("superadmin").post(f"/akun/{recipient.id}/peran",
                                           data={"role": "admin_opd", "org_unit": world.dinas_a.id})
    assert response.status_code == 302
    [n] = _notifications(recipient, "account.role_granted")
    assert n.title == "Anda mendapat peran Admin OPD"
    assert n.body == "Cakupan: Dinas Alpha beserta seluruh sub-unitnya."
    assert (n.object_type, n.object_id) == ("User", recipient.id)
    [email] = _emails()
    assert email.status is EmailStatus.STORED and email.notification_id == n.id
    assert "Anda mendapat peran Admin OPD." in email.body_text and "Dinas Alpha" in email.body_text


def test_a_refused_grant_notifies_nobody(world, login_as):
    target = world.users["bkpsdm"]
    login_as("superadmin").post(f"/akun/{target.id}/peran", data={"role": "bkpsdm"})  # has it already
    assert not _notifications(target)


def test_revoking_a_role_notifies_the_account(world, login_as):
    target = world.users["admin_opd"]
    grant_id = target.roles[0].id
    response = login_as("superadmin").post(f"/akun/peran/{grant_id}/cabut", data={"confirm": "1"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(UserRole.id).where(UserRole.id == grant_id)) is None
    [n] = _notifications(target, "account.role_revoked")
    assert n.title == "Peran Admin OPD Anda dicabut" and n.body == "Cakupan: Dinas Alpha."


def test_one_time_password_is_announced_in_app_only_and_never_shown(world, login_as, recipient):
    response = login_as("superadmin").post(f"/akun/{recipient.id}/kata-sandi", data={"confirm": "1"})
    otp = response.get_data(as_text=True).split('id="otp">', 1)[1].split("<", 1)[0].strip()
    [n] = _notifications(recipient, "account.password_issued")
    assert n.title == "Kata sandi sekali pakai diterbitkan untuk akun Anda"
    assert otp not in n.title and otp not in (n.body or "")
    assert not _emails()
    assert not db.session.scalar(sa.select(OutgoingEmail.id).where(OutgoingEmail.body_text.contains(otp)))


def test_new_employee_account_with_password_is_notified(world, login_as):
    employee = world.staff_b  # no account yet
    response = login_as("superadmin").post(f"/akun/pegawai/{employee.id}/kata-sandi", data={"confirm": "1"})
    assert response.status_code == 200
    db.session.refresh(employee)
    assert [n.kind for n in _notifications(employee.user)] == ["account.password_issued"]


def test_committed_import_notifies_the_importer(world, tmp_path):
    importer = world.users["bkpsdm"]
    batch = preview(tmp_path, [person(1), person(2)], world.root, importer)
    assert not _notifications(importer)  # a preview is not news
    importing.commit_import(batch, importer)
    [n] = _notifications(importer, "people.import_committed")
    assert n.title == "Impor siasn.csv tersimpan"
    assert n.body == "2 pegawai baru, 0 diperbarui, 0 tidak berubah."
    assert n.url == f"/impor/{batch.id}" and (n.object_type, n.object_id) == ("ImportBatch", batch.id)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail))


def test_import_without_an_importer_notifies_nobody(world, tmp_path):
    importing.commit_import(preview(tmp_path, [person(1)], world.root), None)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Notification))


def test_transfer_notifies_the_employee_and_the_new_supervisor(world, login_as, recipient):
    new_boss = world.users["bkpsdm"]
    world.users["bkpsdm"].employee.email = "bkpsdm@example.go.id"
    db.session.flush()
    employee = world.staff_a1
    response = login_as("bkpsdm").post(f"/pegawai/{employee.id}/mutasi", data={
        "org_unit": world.dinas_b.id, "position": world.staff_b.position_id,
        "supervisor_nip": new_boss.employee.nip, "start_date": date.today().isoformat(), "note": "SK 1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    [mine] = _notifications(recipient, "people.transferred")
    assert mine.title == "Mutasi Anda ke Dinas Beta sudah dicatat"
    assert mine.body.startswith("Jabatan: Pengadministrasi Umum. Berlaku mulai")
    assert mine.url == f"/pegawai/{employee.id}"
    [boss] = _notifications(new_boss, "people.new_subordinate")
    assert boss.title == f"{employee.display_name} kini menjadi bawahan langsung Anda"
    assert "Dinas Beta" in boss.body and boss.url == f"/pegawai/{employee.id}"
    assert len(_emails()) == 1 and len(_emails("bkpsdm@example.go.id")) == 1
    # The old supervisor is not told (not asked for), nor is anyone else.
    assert not _notifications(world.users["supervisor"])


def test_transfer_without_accounts_or_new_supervisor(world, factory):
    services.transfer_employee(world.staff_b, org_unit=world.dinas_a, position=factory.position(world.dinas_a),
                               supervisor=world.head_a, start_date=date.today())  # neither has an account
    # Same supervisor kept: only the employee hears of it.
    services.transfer_employee(world.staff_a1, org_unit=world.dinas_a, position=factory.position(world.dinas_a),
                               supervisor=world.chief_a1, start_date=date.today())
    assert [n.kind for n in db.session.scalars(sa.select(Notification))] == ["people.transferred"]


def test_role_granted_to_new_administrator(world, login_as):
    response = login_as("superadmin").post("/akun/admin-baru", data={
        "username": "admin.baru", "full_name": "Admin Baru", "roles": ["admin_opd"], "org_unit": world.dinas_b.id})
    assert response.status_code == 200
    user = db.session.scalar(sa.select(User).where(User.username == "admin.baru"))
    assert user.has_role(Role.ADMIN_OPD)
    [n] = _notifications(user)
    assert n.kind == "account.role_granted" and "Dinas Beta" in n.body
