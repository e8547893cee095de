"""Laporan harian: services (date rules, RHK ownership, editing window, comments) and views."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans import activity_services as services
from portal.plans.models import (
    ActivityComment,
    ActivityEntry,
    Aspect,
    PlanStatus,
    Realisation,
    RealisationStatus,
)
from tests.conftest import count_statements
from tests.plans.sample import make_period, make_plan

TODAY = date.today()


@pytest.fixture
def log(world):
    """staff_a1's approved plan for this year (two RHK) and a draft revision with a third."""
    period = make_period(TODAY.year)
    plan = make_plan(world.staff_a1, period, PlanStatus.APPROVED, results=[
        ("Dataset sektoral tersusun", [(Aspect.QUANTITY, "Jumlah dataset", 12)]),
        ("Laporan analisis data", [(Aspect.QUANTITY, "Jumlah laporan", 4)])])
    other = make_plan(world.staff_b, period, PlanStatus.APPROVED, results=[
        ("Surat keluar teradministrasi", [(Aspect.QUANTITY, "Jumlah surat", 100)])])
    return type("Log", (), {"period": period, "plan": plan, "result": plan.results[0],
                            "foreign_result": other.results[0]})


def _audits(action, obj):
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.object_type == type(obj).__name__,
        AuditEntry.object_id == obj.id)).all()


def _notifications(user, kind):
    return db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


# ---------------------------------------------------------------- services
def test_add_entry_links_own_rhk_and_is_audited(world, log):
    entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=log.result,
                               description="  Membersihkan dataset  ", output="3 berkas")
    assert entry.id and entry.result_id == log.result.id and entry.description == "Membersihkan dataset"
    assert len(_audits("create", entry)) == 1


@pytest.mark.parametrize("day, message", [
    (TODAY + timedelta(days=1), "masa depan"),
    (date(TODAY.year - 1, 12, 31), "awal tahun"),
])
def test_entry_date_rules(world, log, day, message):
    with pytest.raises(services.ActivityError, match=message) as exc:
        services.add_entry(world.staff_a1, entry_date=day, result=None, description="Rapat")
    assert exc.value.field == "entry_date"


def test_rhk_must_belong_to_own_plan(world, log):
    with pytest.raises(services.ActivityError) as exc:
        services.add_entry(world.staff_a1, entry_date=TODAY, result=log.foreign_result, description="Rapat")
    assert exc.value.field == "result"


def test_description_required_and_limited(world, log):
    with pytest.raises(services.ActivityError, match="wajib"):
        services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="   ")
    with pytest.raises(services.ActivityError, match="2000"):
        services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="x" * 2001)


def test_current_plan_prefers_the_approved_one(world, log):
    draft = make_plan(world.staff_a1, log.period, PlanStatus.DRAFT, version=2,
                      results=[("RHK revisi", [(Aspect.QUANTITY, "Jumlah", 1)])])
    assert services.current_plan(world.staff_a1).id == log.plan.id
    log.plan.status = PlanStatus.SUPERSEDED
    db.session.flush()
    assert services.current_plan(world.staff_a1).id == draft.id
    assert [r.text for r in services.result_choices(world.staff_a1)] == ["RHK revisi"]


def test_entries_freeze_once_the_month_is_reported(world, log):
    """Editable within 7 days, or while the month's realisasi is not submitted."""
    today = date(TODAY.year, 11, 23)
    march = next(sp for sp in log.period.subperiods if sp.number == 3)
    old = services.add_entry(world.staff_a1, entry_date=date(TODAY.year, 3, 10), result=log.result,
                             description="Rapat koordinasi", today=today)
    recent = services.add_entry(world.staff_a1, entry_date=today - timedelta(days=2), result=None,
                                description="Entri data", today=today)
    assert services.is_editable(old, today=today)
    db.session.add(Realisation(indicator=log.result.indicators[0], subperiod=march, plan=log.plan,
                               value=Decimal(2), status=RealisationStatus.SUBMITTED))
    db.session.flush()
    assert not services.is_editable(old, today=today)
    assert services.is_editable(recent, today=today)
    with pytest.raises(services.ActivityError, match="sudah dilaporkan"):
        services.update_entry(old, entry_date=old.entry_date, result=None, description="Ubah", today=today)
    with pytest.raises(services.ActivityError, match="sudah dilaporkan"):
        services.delete_entry(old, today=today)
    changes = services.update_entry(recent, entry_date=recent.entry_date, result=log.result,
                                    description="Entri data kesehatan", today=today)
    assert set(changes) == {"result_id", "description"} and _audits("update", recent)
    services.delete_entry(recent, today=today)
    assert db.session.get(ActivityEntry, recent.id) is None and _audits("delete", recent)


def test_entries_for_month(world, log):
    first = date(TODAY.year, TODAY.month, 1)
    month = next(sp for sp in log.period.subperiods if sp.start_date <= TODAY <= sp.end_date)
    a = services.add_entry(world.staff_a1, entry_date=first, result=log.result, description="A")
    b = services.add_entry(world.staff_a1, entry_date=TODAY, result=log.plan.results[1], description="B")
    services.add_entry(world.staff_b, entry_date=TODAY, result=None, description="punya orang lain")
    assert [e.id for e in services.entries_for_month(world.staff_a1, month)] == [a.id, b.id]
    assert [e.id for e in services.entries_for_month(world.staff_a1, month, result=log.result)] == [a.id]


def test_comment_notifies_owner_and_reply_notifies_commenter(world, log):
    entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="Rapat")
    supervisor, owner = world.users["supervisor"], world.users["pegawai"]
    services.add_comment(entry, "Tolong lampirkan notulen.", author=supervisor)
    assert len(_notifications(owner, "activities.comment")) == 1
    services.add_comment(entry, "Sudah saya unggah.", author=owner)
    assert len(_notifications(supervisor, "activities.reply")) == 1
    assert [c.body for c in entry.comments] == ["Tolong lampirkan notulen.", "Sudah saya unggah."]
    with pytest.raises(services.ActivityError):
        services.add_comment(entry, "   ", author=supervisor)


# ---------------------------------------------------------------- views
def test_list_shows_quick_entry_form_with_own_rhk(world, log, login_as):
    page = login_as("pegawai").get("/laporan-harian/").get_data(as_text=True)
    assert "Catat kegiatan" in page and "Dataset sektoral tersusun" in page
    assert "Surat keluar teradministrasi" not in page
    assert f'max="{TODAY.isoformat()}"' in page and f'min="{TODAY.year}-01-01"' in page


def test_add_entry_without_javascript(world, log, login_as):
    client = login_as("pegawai")
    response = client.post("/laporan-harian/", data={
        "entry_date": TODAY.isoformat(), "result": log.result.id, "description": "Validasi dataset",
        "output": "2 dataset"})
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(ActivityEntry).where(ActivityEntry.description == "Validasi dataset"))
    assert entry.employee_id == world.staff_a1.id and entry.result_id == log.result.id
    assert "Validasi dataset" in client.get("/laporan-harian/").get_data(as_text=True)


def test_add_entry_with_htmx_returns_form_and_list(world, log, login_as):
    client = login_as("pegawai")
    response = client.post("/laporan-harian/", headers={"HX-Request": "true"}, data={
        "entry_date": TODAY.isoformat(), "result": log.result.id, "description": "Rapat tim data"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Kegiatan sudah dicatat." in body and 'id="entry-form"' in body
    assert 'data-hx-swap-oob="true"' in body and "Rapat tim data" in body


def test_bad_entry_is_refused_with_message(world, log, login_as):
    client = login_as("pegawai")
    future = (TODAY + timedelta(days=3)).isoformat()
    htmx = client.post("/laporan-harian/", headers={"HX-Request": "true"},
                       data={"entry_date": future, "description": "Rencana"})
    assert htmx.status_code == 200 and "tidak boleh di masa depan" in htmx.get_data(as_text=True)
    plain = client.post("/laporan-harian/", data={"entry_date": TODAY.isoformat(), "description": "Rapat",
                                                 "result": log.foreign_result.id})
    assert plain.status_code == 200 and "SKP Anda sendiri" in plain.get_data(as_text=True)
    empty = client.post("/laporan-harian/", data={"entry_date": TODAY.isoformat(), "description": ""})
    assert "Uraian kegiatan wajib diisi." in empty.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEntry)) == 0


def test_month_filter(world, log, login_as):
    services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="Bulan ini")
    if TODAY.month > 1:
        services.add_entry(world.staff_a1, entry_date=date(TODAY.year, 1, 5), result=None, description="Januari")
    client = login_as("pegawai")
    page = client.get(f"/laporan-harian/?bulan={TODAY:%Y-%m}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Bulan ini" in page and "Januari" not in page and "<html" not in page
    assert client.get("/laporan-harian/?bulan=2026-99").status_code == 200


def test_only_the_owner_edits_or_deletes(world, log, login_as):
    entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="Rapat")
    for role in ("supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"):
        client = login_as(role)
        assert client.get(f"/laporan-harian/{entry.id}/ubah").status_code == 403, role
        assert client.post(f"/laporan-harian/{entry.id}/hapus").status_code == 403, role
    owner = login_as("pegawai")
    response = owner.post(f"/laporan-harian/{entry.id}/ubah", data={
        "entry_date": TODAY.isoformat(), "result": log.result.id, "description": "Rapat evaluasi"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActivityEntry, entry.id).description == "Rapat evaluasi"
    assert owner.post(f"/laporan-harian/{entry.id}/hapus").status_code == 302
    assert db.session.scalar(sa.select(ActivityEntry.id).where(ActivityEntry.id == entry.id)) is None


def test_entry_visible_to_self_chain_admins_and_instansi_readers(world, log, login_as, factory):
    entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="Rapat rahasia")
    for role in ("pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"):
        assert login_as(role).get(f"/laporan-harian/{entry.id}").status_code == 200, role
    outsider = login_as(factory.user(world.staff_b))
    assert outsider.get(f"/laporan-harian/{entry.id}").status_code == 403
    assert outsider.post(f"/laporan-harian/{entry.id}/komentar", data={"body": "Hai"}).status_code == 403
    # reading is not commenting: admins and instansi readers may not join the thread
    assert login_as("admin_opd").post(f"/laporan-harian/{entry.id}/komentar", data={"body": "Hai"}).status_code == 403


def test_team_log_lists_direct_subordinates_with_comment_forms(world, log, login_as, factory):
    mine = services.add_entry(world.staff_a1, entry_date=TODAY, result=log.result, description="Olah data")
    services.add_entry(world.staff_b, entry_date=TODAY, result=None, description="Bukan bawahan")
    client = login_as("supervisor")
    page = client.get("/laporan-harian/tim").get_data(as_text=True)
    assert "Olah data" in page and "Bukan bawahan" not in page
    assert f'action="/laporan-harian/{mine.id}/komentar"' in page
    day = client.get(f"/laporan-harian/tim?rentang=hari&tanggal={TODAY - timedelta(days=1)}").get_data(as_text=True)
    assert "Olah data" not in day
    other = factory.employee(position=world.staff_a1.position, supervisor=world.chief_a1, name="Staf Kedua")
    services.add_entry(other, entry_date=TODAY, result=None, description="Arsip surat")
    filtered = client.get(f"/laporan-harian/tim?pegawai={other.id}", headers={"HX-Request": "true"})
    text = filtered.get_data(as_text=True)
    assert "Arsip surat" in text and "Olah data" not in text and "<html" not in text
    # nonsense filters fall back to this week
    assert client.get("/laporan-harian/tim?tanggal=0001-01-01&rentang=x&pegawai=abc").status_code == 200
    empty = login_as("pegawai").get("/laporan-harian/tim").get_data(as_text=True)
    assert "tidak memiliki bawahan langsung" in empty


def test_supervisor_comments_and_owner_replies_through_htmx(world, log, login_as):
    entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=None, description="Rapat")
    boss = login_as("supervisor")
    response = boss.post(f"/laporan-harian/{entry.id}/komentar", headers={"HX-Request": "true"},
                         data={"body": "Kirim notulennya ya.", "next": "/laporan-harian/tim"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="comments-{entry.id}"' in body and "Kirim notulennya ya." in body
    assert len(_notifications(world.users["pegawai"], "activities.comment")) == 1
    owner = login_as("pegawai")
    assert "Kirim notulennya ya." in owner.get("/laporan-harian/").get_data(as_text=True)
    reply = owner.post(f"/laporan-harian/{entry.id}/komentar", data={"body": "Siap.", "next": "https://evil.example/"})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"/laporan-harian/{entry.id}")
    assert len(_notifications(world.users["supervisor"], "activities.reply")) == 1
    invalid = boss.post(f"/laporan-harian/{entry.id}/komentar", headers={"HX-Request": "true"}, data={"body": ""})
    assert invalid.status_code == 200 and "Komentar wajib diisi." in invalid.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityComment)) == 2


def test_account_without_employee_sees_explanation(world, login_as):
    client = login_as("superadmin")
    assert "tidak terhubung dengan data pegawai" in client.get("/laporan-harian/").get_data(as_text=True)
    assert client.post("/laporan-harian/", data={"description": "x"}).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEntry)) == 0


def test_disabled_daily_log_answers_404(app, world, login_as):
    client = login_as("pegawai")
    app.config["DAILY_LOG_ENABLED"] = False
    try:
        for url in ("/laporan-harian/", "/laporan-harian/tim"):
            response = client.get(url)
            assert response.status_code == 404
            assert "Laporan harian tidak digunakan" in response.get_data(as_text=True)
        assert client.post("/laporan-harian/", data={"description": "x"}).status_code == 404
    finally:
        app.config["DAILY_LOG_ENABLED"] = True
    assert client.get("/laporan-harian/").status_code == 200


def _fill(world, log, n):
    for i in range(n):
        entry = services.add_entry(world.staff_a1, entry_date=TODAY, result=log.result,
                                   description=f"Kegiatan {i}")
        services.add_comment(entry, f"Komentar {i}", author=world.users["supervisor"])


@pytest.mark.parametrize("url, role", [("/laporan-harian/", "pegawai"), ("/laporan-harian/tim", "supervisor")])
def test_query_count_does_not_grow_with_entries(world, log, login_as, url, role):
    client = login_as(role)
    _fill(world, log, 2)
    client.get(url)
    with count_statements() as few:
        assert client.get(url).status_code == 200
    _fill(world, log, 12)
    with count_statements() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Kegiatan ") >= 14
    assert len(many) == len(few), (len(few), len(many))
