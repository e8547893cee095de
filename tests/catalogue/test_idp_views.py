"""IDP pages: the employee's plan, adding and changing activities, submitting, the supervisor's inbox
and decision, read-only views for others."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.catalogue import idp_services, recommend
from portal.catalogue.models import (
    DevelopmentPlan,
    DevelopmentPlanItem,
    IdpItemStatus,
    IdpStatus,
    ProgrammeForm,
    RecommendationStatus,
)
from portal.extensions import db
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements

YEAR = date.today().year
HX = {"HX-Request": "true"}


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


def _url(plan, suffix=""):
    return f"/rencana-pengembangan/{plan.id}{suffix}"


def _refresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _submit(sample):
    idp_services.submit_plan(sample.idp)
    db.session.flush()
    return sample.idp


# ---------------------------------------------------------------- the employee's page
def test_my_plan_shows_buckets_progress_and_actions(sample, login_as):
    page = login_as("pegawai").get("/rencana-pengembangan/").get_data(as_text=True)
    assert "Rencana pengembangan saya" in page
    assert "Analisis Data untuk Administrasi" in page
    assert "70 % pengalaman kerja" in page and "10 % pembelajaran formal" in page
    assert "1 dari 1 kegiatan selesai" in page and "6 JP tercatat" in page
    assert "tercatat 10" in page  # the ledger's completion date (10 Feb)
    assert "Ajukan kepada atasan" in page
    assert f"/rencana-pengembangan/{YEAR}/kegiatan-baru" in page


def test_my_plan_for_a_year_without_plan_shows_the_empty_state(sample, login_as):
    page = login_as("pegawai").get(f"/rencana-pengembangan/?year={YEAR + 1}").get_data(as_text=True)
    assert f"Belum ada rencana pengembangan untuk {YEAR + 1}" in page
    assert "Rekomendasi untuk saya" in page and "Katalog pelatihan" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DevelopmentPlan)) == 1  # nothing created


def test_my_plan_htmx_returns_the_partial(sample, login_as):
    response = login_as("pegawai").get(f"/rencana-pengembangan/?year={YEAR}", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and "Analisis Data untuk Administrasi" in page
    assert 'aria-current="page"' in page  # the year switcher comes with it


def test_my_plan_without_employee_record_explains(login_as, world):
    page = login_as("superadmin").get("/rencana-pengembangan/").get_data(as_text=True)
    assert "tidak terhubung dengan data pegawai" in page


def test_my_plan_query_count_does_not_grow_with_items(sample, login_as):
    client = login_as("pegawai")
    client.get("/rencana-pengembangan/")
    with count_statements() as few:
        client.get("/rencana-pengembangan/")
    for i in range(5):
        idp_services.add_item(sample.idp, form=ProgrammeForm.MENTORING, title=f"Mentoring {i}", jp=2)
    db.session.flush()
    with count_statements() as many:
        client.get("/rencana-pengembangan/")
    assert len(many) == len(few)


# ---------------------------------------------------------------- adding and changing
def test_add_activity_creates_the_plan_when_needed(world, sample, login_as):
    response = login_as("pegawai").post(f"/rencana-pengembangan/{YEAR + 1}/kegiatan-baru", data={
        "form": "mentoring", "title": "Mentoring penyusunan laporan", "target_date": f"{YEAR + 1}-03-31",
        "jp_planned": "8", "note": "Dengan Kabid"})
    assert response.status_code == 303
    plan = db.session.scalar(sa.select(DevelopmentPlan).where(DevelopmentPlan.year == YEAR + 1))
    [item] = plan.items
    assert (item.form, item.title, item.jp_planned, item.target_date) == (
        ProgrammeForm.MENTORING, "Mentoring penyusunan laporan", 8, date(YEAR + 1, 3, 31))


@pytest.mark.parametrize("data, message", [
    ({"form": "", "title": "X"}, "Pilih bentuk kegiatan."),
    ({"form": "pelatihan_kepemimpinan", "title": "PKP sendiri"}, "Pilih bentuk kegiatan."),
    ({"form": "coaching", "title": ""}, "Tuliskan nama kegiatan."),
    ({"form": "coaching", "title": "Coaching", "target_date": "2001-01-01"}, "Tanggal target harus dalam tahun"),
    ({"form": "coaching", "title": "Coaching", "jp_planned": "5000"}, "JP antara 0 dan 1000."),
])
def test_add_activity_refuses_bad_input(sample, login_as, data, message):
    response = login_as("pegawai").post(f"/rencana-pengembangan/{YEAR}/kegiatan-baru", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert len(_refresh(sample.idp).items) == 1


def test_add_activity_needs_an_employee_and_a_known_year(login_as, world):
    assert login_as("superadmin").get(f"/rencana-pengembangan/{YEAR}/kegiatan-baru").status_code == 403
    assert login_as("pegawai").get("/rencana-pengembangan/1999/kegiatan-baru").status_code == 404


def test_edit_item_changes_it_and_bad_input_rerenders(sample, login_as):
    client = login_as("pegawai")
    page = client.get(_url(sample.idp, f"/kegiatan/{sample.item.id}")).get_data(as_text=True)
    assert 'value="6"' in page
    bad = client.post(_url(sample.idp, f"/kegiatan/{sample.item.id}"), data={"target_date": "2001-05-05", "jp_planned": "6"})
    assert bad.status_code == 200 and "Tanggal target harus dalam tahun" in bad.get_data(as_text=True)
    response = client.post(_url(sample.idp, f"/kegiatan/{sample.item.id}"),
                           data={"target_date": f"{YEAR}-07-01", "jp_planned": "9", "note": "Daring"})
    assert response.status_code == 303
    item = _refresh(sample.item)
    assert (item.target_date, item.jp_planned, item.note) == (date(YEAR, 7, 1), 9, "Daring")


def test_remove_item_reopens_the_recommendation(sample, login_as):
    item_id = recommend.accept_recommendation(sample.recommendation).id
    db.session.flush()
    response = login_as("pegawai").post(_url(sample.idp, f"/kegiatan/{item_id}/hapus"), follow_redirects=True)
    assert "rekomendasinya kembali ke daftar rekomendasi Anda" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(DevelopmentPlanItem.id).where(DevelopmentPlanItem.id == item_id)) is None
    assert _refresh(sample.recommendation).status is RecommendationStatus.OPEN


def test_mark_activity_done(sample, login_as):
    activity = idp_services.add_item(sample.idp, form=ProgrammeForm.COACHING, title="Coaching kinerja", jp=2)
    db.session.flush()
    client = login_as("pegawai")
    client.post(_url(sample.idp, f"/kegiatan/{activity.id}/status"), data={"status": "selesai"})
    assert _refresh(activity).status is IdpItemStatus.DONE
    response = client.post(_url(sample.idp, f"/kegiatan/{sample.item.id}/status"), data={"status": "batal"},
                           follow_redirects=True)
    assert "dari catatan jam pelajaran" in response.get_data(as_text=True)
    assert _refresh(sample.item).status is IdpItemStatus.PLANNED


def test_others_cannot_change_the_plan(sample, login_as):
    for role in ("supervisor", "admin_opd", "bkpsdm"):
        client = login_as(role)
        assert client.post(_url(sample.idp, f"/kegiatan/{sample.item.id}"), data={"jp_planned": "1"}).status_code == 403
        assert client.post(_url(sample.idp, f"/kegiatan/{sample.item.id}/hapus")).status_code == 403
        assert client.post(_url(sample.idp, "/ajukan")).status_code == 403
    assert _refresh(sample.item).jp_planned == 6


def test_item_of_another_plan_is_not_found(world, sample, login_as):
    other = idp_services.plan_for(world.staff_a1, YEAR + 1, create=True)
    db.session.flush()
    assert login_as("pegawai").get(_url(other, f"/kegiatan/{sample.item.id}")).status_code == 404


# ---------------------------------------------------------------- submitting and deciding
def test_submit_from_the_page(world, sample, login_as):
    response = login_as("pegawai").post(_url(sample.idp, "/ajukan"),
                                        data={"lock_version": sample.idp.lock_version}, follow_redirects=True)
    assert "diajukan kepada Kabid Alpha" in response.get_data(as_text=True)
    assert _refresh(sample.idp).status is IdpStatus.SUBMITTED


def test_submit_without_supervisor_shows_the_reason(world, sample, login_as):
    world.staff_a1.supervisor = None
    db.session.flush()
    response = login_as("pegawai").post(_url(sample.idp, "/ajukan"), data={"lock_version": sample.idp.lock_version})
    assert response.status_code == 200
    assert "belum memiliki atasan langsung" in response.get_data(as_text=True)
    assert _refresh(sample.idp).status is IdpStatus.DRAFT


def test_inbox_lists_submitted_plans_of_direct_subordinates(sample, login_as):
    assert "Tidak ada rencana yang menunggu" in login_as("supervisor").get("/rencana-pengembangan/persetujuan").get_data(
        as_text=True)
    _submit(sample)
    client = login_as("supervisor")
    page = client.get("/rencana-pengembangan/persetujuan").get_data(as_text=True)
    assert "Staf Alpha" in page and _url(sample.idp) in page
    partial = client.get("/rencana-pengembangan/persetujuan", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and "Staf Alpha" in partial
    # the kepala dinas is the supervisor's supervisor, not the employee's: nothing for them
    assert "Staf Alpha" not in login_as("bkpsdm").get("/rencana-pengembangan/persetujuan").get_data(as_text=True)


def test_supervisor_approves(world, sample, login_as):
    _submit(sample)
    client = login_as("supervisor")
    page = client.get(_url(sample.idp)).get_data(as_text=True)
    assert "Setujui rencana" in page
    response = client.post(_url(sample.idp, "/putuskan"),
                           data={"decision": "setujui", "lock_version": sample.idp.lock_version})
    assert response.status_code == 303 and response.headers["Location"].endswith("/rencana-pengembangan/persetujuan")
    plan = _refresh(sample.idp)
    assert plan.status is IdpStatus.APPROVED and plan.approved_dt is not None
    assert "Disetujui" in login_as("pegawai").get("/rencana-pengembangan/").get_data(as_text=True)


def test_return_needs_a_reason_on_the_page(sample, login_as):
    _submit(sample)
    client = login_as("supervisor")
    response = client.post(_url(sample.idp, "/putuskan"),
                           data={"decision": "kembalikan", "reason": "", "lock_version": sample.idp.lock_version})
    assert response.status_code == 200
    assert "Tuliskan alasan pengembalian" in response.get_data(as_text=True)
    assert _refresh(sample.idp).status is IdpStatus.SUBMITTED
    client.post(_url(sample.idp, "/putuskan"), data={"decision": "kembalikan", "reason": "Tambah magang",
                                                    "lock_version": sample.idp.lock_version})
    plan = _refresh(sample.idp)
    assert plan.status is IdpStatus.RETURNED and plan.return_reason == "Tambah magang"
    page = login_as("pegawai").get("/rencana-pengembangan/").get_data(as_text=True)
    assert "Tambah magang" in page and "Ajukan kepada atasan" in page


def test_a_stale_decision_is_refused_clearly(sample, login_as):
    _submit(sample)
    seen = sample.idp.lock_version
    idp_services.approve_plan(sample.idp)
    db.session.flush()
    response = login_as("supervisor").post(_url(sample.idp, "/putuskan"),
                                           data={"decision": "kembalikan", "reason": "Telat", "lock_version": seen})
    assert response.status_code == 200
    assert "sudah berubah sejak halaman dibuka" in response.get_data(as_text=True)
    assert _refresh(sample.idp).status is IdpStatus.APPROVED


def test_non_supervisor_cannot_decide(world, sample, login_as):
    _submit(sample)
    for role in ("pegawai", "admin_opd", "bkpsdm", "pimpinan", "superadmin"):
        response = login_as(role).post(_url(sample.idp, "/putuskan"),
                                       data={"decision": "setujui", "lock_version": sample.idp.lock_version})
        assert response.status_code == 403, role
    assert _refresh(sample.idp).status is IdpStatus.SUBMITTED


# ---------------------------------------------------------------- read-only views
@pytest.mark.parametrize("role", ["supervisor", "admin_opd", "bkpsdm", "pimpinan"])
def test_plan_is_readable_in_scope_without_edit_controls(sample, login_as, role):
    page = login_as(role).get(_url(sample.idp)).get_data(as_text=True)
    assert "Analisis Data untuk Administrasi" in page and "Staf Alpha" in page
    assert "Ajukan kepada atasan" not in page and "/hapus" not in page and "Setujui rencana" not in page


def test_plan_outside_scope_is_forbidden(world, sample, factory, login_as):
    stranger = factory.user(world.staff_b)
    db.session.flush()
    assert login_as(stranger).get(_url(sample.idp)).status_code == 403


def test_show_plan_htmx_returns_the_partial(sample, login_as):
    page = login_as("supervisor").get(_url(sample.idp), headers=HX).get_data(as_text=True)
    assert "<html" not in page and "Analisis Data untuk Administrasi" in page
