"""The services a unit lists on its public form: who manages them, duplicates, audit, htmx."""
import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.evaluation import feedback_services
from portal.evaluation.models import UnitService
from portal.extensions import db

HX = {"HX-Request": "true"}


def _services(unit):
    db.session.expire_all()
    return db.session.scalars(sa.select(UnitService).where(UnitService.org_unit_id == unit.id)
                              .order_by(UnitService.id)).all()


def _audit(action, service):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action,
                                                          AuditEntry.object_type == "UnitService",
                                                          AuditEntry.object_id == service.id)).all()


@pytest.fixture
def service(world):
    svc = feedback_services.add_unit_service(world.dinas_a, "Rekomendasi izin penelitian")
    db.session.flush()
    return svc


def test_admin_opd_adds_a_service_shown_on_the_public_form(world, login_as):
    client = login_as("admin_opd")
    response = client.post(f"/ikm/unit/{world.dinas_a.id}/layanan", data={"name": "  Legalisir   dokumen "})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ikm/unit/{world.dinas_a.id}#layanan")
    [added] = _services(world.dinas_a)
    assert added.name == "Legalisir dokumen" and added.is_active
    [entry] = _audit("add_unit_service", added)
    assert entry.actor_id == world.users["admin_opd"].id and "Legalisir dokumen" in entry.summary
    assert "Legalisir dokumen" in client.get(f"/ikm/unit/{world.dinas_a.id}").get_data(as_text=True)
    assert "Legalisir dokumen" in login_as(None).get(f"/feedback/{world.dinas_a.public_code}").get_data(as_text=True)


@pytest.mark.parametrize("name, message", [
    ("rekomendasi IZIN  penelitian", "sudah ada di unit ini"), ("", "Nama layanan wajib diisi."),
    ("   ", "Nama layanan wajib diisi."), ("x" * 201, "Paling banyak 200 karakter."),
])
def test_bad_or_duplicate_names_come_back_as_form_errors(world, login_as, service, name, message):
    client = login_as("admin_opd")
    page = client.post(f"/ikm/unit/{world.dinas_a.id}/layanan", data={"name": name})
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert 'id="service-new-name-error"' in page.get_data(as_text=True)
    partial = client.post(f"/ikm/unit/{world.dinas_a.id}/layanan", data={"name": name}, headers=HX)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200 and message in html and "<html" not in html and 'id="layanan"' in html
    assert [s.name for s in _services(world.dinas_a)] == ["Rekomendasi izin penelitian"]


def test_the_same_name_in_another_unit_is_fine(world, login_as, service):
    response = login_as("bkpsdm").post(f"/ikm/unit/{world.dinas_b.id}/layanan",
                                       data={"name": "Rekomendasi izin penelitian"})
    assert response.status_code == 303 and len(_services(world.dinas_b)) == 1


def test_htmx_add_returns_the_panel_with_the_news(world, login_as):
    response = login_as("admin_opd").post(f"/ikm/unit/{world.bidang_a1.id}/layanan",
                                          data={"name": "Konsultasi data"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Layanan Konsultasi data sudah ditambahkan." in html and 'id="service-name-' in html


def test_rename_is_audited_and_duplicates_refused(world, login_as, service):
    other = feedback_services.add_unit_service(world.dinas_a, "Legalisir")
    db.session.flush()
    client = login_as("admin_opd")
    taken = client.post(f"/ikm/layanan/{service.id}", data={"name": "LEGALISIR"}, headers=HX)
    html = taken.get_data(as_text=True)
    assert taken.status_code == 200 and "sudah ada di unit ini" in html
    assert f'id="service-name-{service.id}-error"' in html and "<details open" in html
    assert client.post(f"/ikm/layanan/{service.id}", data={"name": "Rekomendasi izin penelitian"}).status_code == 303
    assert _audit("edit_unit_service", service) == []  # nothing changed
    renamed = client.post(f"/ikm/layanan/{service.id}", data={"name": "Rekomendasi penelitian"})
    assert renamed.status_code == 303
    assert [s.name for s in _services(world.dinas_a)] == ["Rekomendasi penelitian", "Legalisir"]
    [entry] = _audit("edit_unit_service", service)
    assert entry.changes == {"name": ["Rekomendasi izin penelitian", "Rekomendasi penelitian"]}
    assert other.name == "Legalisir"


def test_hide_and_show_again(world, login_as, service):
    client = login_as("admin_opd")
    form_url = f"/feedback/{world.dinas_a.public_code}"
    hidden = client.post(f"/ikm/layanan/{service.id}/status", data={"aktif": "0"}, headers=HX)
    assert hidden.status_code == 200 and "tidak lagi ditampilkan" in hidden.get_data(as_text=True)
    assert not _services(world.dinas_a)[0].is_active
    assert len(_audit("deactivate_unit_service", service)) == 1
    assert "Rekomendasi izin penelitian" not in login_as(None).get(form_url).get_data(as_text=True)
    # the same request again changes nothing (a double click)
    assert client.post(f"/ikm/layanan/{service.id}/status", data={"aktif": "0"}).status_code == 303
    assert len(_audit("deactivate_unit_service", service)) == 1
    shown = client.post(f"/ikm/layanan/{service.id}/status", data={"aktif": "1"})
    assert shown.status_code == 303 and _services(world.dinas_a)[0].is_active
    assert len(_audit("activate_unit_service", service)) == 1
    assert "Rekomendasi izin penelitian" in login_as(None).get(form_url).get_data(as_text=True)


@pytest.mark.parametrize("value", [None, "", "2", "ya"])
def test_a_bad_status_request_changes_nothing(world, login_as, service, value):
    data = {} if value is None else {"aktif": value}
    response = login_as("admin_opd").post(f"/ikm/layanan/{service.id}/status", data=data, headers=HX)
    assert response.status_code == 200 and "Permintaan tidak valid" in response.get_data(as_text=True)
    assert _services(world.dinas_a)[0].is_active
    assert _audit("deactivate_unit_service", service) == []


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "pimpinan"])
def test_readers_may_not_manage_services(world, login_as, service, role):
    client = login_as(role)
    assert client.post(f"/ikm/unit/{world.dinas_a.id}/layanan", data={"name": "Baru"}).status_code == 403
    assert client.post(f"/ikm/layanan/{service.id}", data={"name": "Baru"}).status_code == 403
    assert client.post(f"/ikm/layanan/{service.id}/status", data={"aktif": "0"}).status_code == 403
    assert [s.name for s in _services(world.dinas_a)] == ["Rekomendasi izin penelitian"]
    page = client.get(f"/ikm/unit/{world.dinas_a.id}").get_data(as_text=True)
    assert "Rekomendasi izin penelitian" in page and "/status" not in page


def test_admin_opd_of_another_opd_may_not_touch_the_services(world, login_as, factory):
    svc = feedback_services.add_unit_service(world.dinas_b, "Layanan Beta")
    db.session.flush()
    client = login_as("admin_opd")
    assert client.post(f"/ikm/unit/{world.dinas_b.id}/layanan", data={"name": "Baru"}).status_code == 403
    assert client.post(f"/ikm/layanan/{svc.id}", data={"name": "Baru"}).status_code == 403
    assert client.post(f"/ikm/layanan/{svc.id}/status", data={"aktif": "0"}).status_code == 403
    assert client.post("/ikm/layanan/999999", data={"name": "Baru"}).status_code == 404
    assert [(s.name, s.is_active) for s in _services(world.dinas_b)] == [("Layanan Beta", True)]
    # BKPSDM manages every unit
    assert login_as("bkpsdm").post(f"/ikm/layanan/{svc.id}/status", data={"aktif": "0"}).status_code == 303
