""""Rekomendasi untuk saya" (/rekomendasi): the open ones with their reason, accepted into the IDP or
dismissed with a reason (mandatory ones cannot be), history tabs, the 20-JP progress, and the
read-only view of a subordinate's recommendations."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.catalogue.models import (
    DevelopmentPlanItem,
    Priority,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)
from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements

HX = {"HX-Request": "true"}
REASON = "Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026"


@pytest.fixture
def s(world):
    return sample_catalogue(world)


@pytest.fixture
def mandatory(s, world):
    rec = Recommendation(key="lead:test", employee_id=world.staff_a1.id, programme_id=s.pkp.id,
                         year=date.today().year, source=RecommendationSource.LEADERSHIP, priority=Priority.HIGH,
                         is_mandatory=True, reason="Jabatan Analis Data (Pengawas) mewajibkan PKP; belum tercatat selesai")
    db.session.add(rec)
    db.session.flush()
    return rec


def _items(recommendation):
    return db.session.scalars(sa.select(DevelopmentPlanItem).where(
        DevelopmentPlanItem.recommendation_id == recommendation.id)).all()


def test_page_lists_open_recommendations_mandatory_first(s, mandatory, login_as):
    html = login_as("pegawai").get("/rekomendasi/").get_data(as_text=True)
    assert REASON in html
    assert "Perilaku kerja (BerAKHLAK)" in html and "Prioritas tinggi" in html
    assert html.index("Pelatihan Kepemimpinan Pengawas") < html.index("Pelatihan Kerja Sama Tim")
    assert "Wajib" in html
    assert "16 JP" in html and s.session.start_date.strftime("%Y") in html  # JP and next session
    # the 20-JP progress: 6 JP credited in the sample
    assert "6 dari 20 JP" in html and "kurang 14 JP" in html
    # the mandatory one has no dismiss button: one "Abaikan rekomendasi" form (the teamwork one)
    assert html.count("Abaikan rekomendasi") == 1
    assert "tidak dapat diabaikan" in html


def test_empty_states(world, login_as):
    html = login_as("pegawai").get("/rekomendasi/").get_data(as_text=True)
    assert "Belum ada rekomendasi yang perlu ditanggapi" in html
    html = login_as("superadmin").get("/rekomendasi/").get_data(as_text=True)
    assert "tidak terhubung dengan data pegawai" in html


def test_accept_puts_it_in_the_idp(s, login_as):
    client = login_as("pegawai")
    response = client.post(f"/rekomendasi/{s.recommendation.id}/terima", data={"target_date": f"{date.today().year}-12-01"})
    assert response.status_code == 303
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.ACCEPTED
    [item] = _items(s.recommendation)
    assert item.programme_id == s.teamwork.id and item.target_date == date(date.today().year, 12, 1)
    assert item.plan.employee_id == s.recommendation.employee_id
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "recommendation.accepted"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dimasukkan ke rencana pengembangan" in page
    history = client.get("/rekomendasi/?tampil=diterima").get_data(as_text=True)
    assert REASON in history and "Masuk rencana pengembangan" in history


def test_accept_with_a_target_date_in_another_year_is_refused(s, login_as):
    client = login_as("pegawai")
    response = client.post(f"/rekomendasi/{s.recommendation.id}/terima",
                           data={"target_date": f"{date.today().year + 1}-01-10"}, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tanggal target harus dalam tahun" in html and f'id="rec-{s.recommendation.id}"' in html
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.OPEN and not _items(s.recommendation)


def test_accept_htmx_swaps_the_card(s, login_as):
    response = login_as("pegawai").post(f"/rekomendasi/{s.recommendation.id}/terima", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("<article") and f'id="rec-{s.recommendation.id}"' in html
    assert "Dimasukkan ke rencana pengembangan" in html and "Masukkan ke IDP" not in html


def test_dismiss_needs_a_reason(s, login_as):
    client = login_as("pegawai")
    response = client.post(f"/rekomendasi/{s.recommendation.id}/abaikan", data={"reason": "  "}, headers=HX)
    assert response.status_code == 200
    assert "Tuliskan alasan mengabaikan rekomendasi ini." in response.get_data(as_text=True)
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.OPEN
    # without htmx: a flash on the page
    response = client.post(f"/rekomendasi/{s.recommendation.id}/abaikan", data={})
    assert response.status_code == 303
    assert "Tuliskan alasan" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_dismiss_with_reason(s, login_as):
    client = login_as("pegawai")
    response = client.post(f"/rekomendasi/{s.recommendation.id}/abaikan",
                           data={"reason": "Sudah mengikuti pelatihan serupa tahun lalu."}, headers=HX)
    assert response.status_code == 200 and "Rekomendasi diabaikan." in response.get_data(as_text=True)
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.DISMISSED
    assert s.recommendation.dismiss_reason == "Sudah mengikuti pelatihan serupa tahun lalu."
    history = client.get("/rekomendasi/?tampil=diabaikan").get_data(as_text=True)
    assert "Sudah mengikuti pelatihan serupa tahun lalu." in history


def test_mandatory_cannot_be_dismissed(mandatory, login_as):
    client = login_as("pegawai")
    response = client.post(f"/rekomendasi/{mandatory.id}/abaikan", data={"reason": "Tidak perlu."})
    assert response.status_code == 303
    db.session.refresh(mandatory)
    assert mandatory.status is RecommendationStatus.OPEN
    assert "tidak dapat diabaikan" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/rekomendasi/{mandatory.id}/abaikan", data={"reason": "Tidak perlu."}, headers=HX)
    assert "tidak dapat diabaikan" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["supervisor", "bkpsdm", "admin_opd", "pimpinan", "superadmin"])
def test_someone_else_cannot_decide(s, login_as, role):
    client = login_as(role)
    assert client.post(f"/rekomendasi/{s.recommendation.id}/terima").status_code == 403
    assert client.post(f"/rekomendasi/{s.recommendation.id}/abaikan", data={"reason": "x"}).status_code == 403
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.OPEN


def test_decided_one_cannot_be_decided_again(s, login_as):
    client = login_as("pegawai")
    client.post(f"/rekomendasi/{s.recommendation.id}/terima")
    assert client.post(f"/rekomendasi/{s.recommendation.id}/abaikan", data={"reason": "x"}).status_code == 403
    assert len(_items(s.recommendation)) == 1


def test_supervisor_reads_a_subordinate_read_only(s, world, login_as):
    html = login_as("supervisor").get(f"/rekomendasi/pegawai/{world.staff_a1.id}").get_data(as_text=True)
    assert "Rekomendasi pelatihan Staf Alpha" in html and REASON in html
    assert "Masukkan ke IDP" not in html and "Abaikan rekomendasi" not in html
    assert login_as("bkpsdm").get(f"/rekomendasi/pegawai/{world.staff_a1.id}").status_code == 200
    # a colleague in another unit, and the subordinate looking upwards, may not
    assert login_as("pegawai").get(f"/rekomendasi/pegawai/{world.chief_a1.id}").status_code == 403
    assert login_as("supervisor").get(f"/rekomendasi/pegawai/{world.staff_b.id}").status_code == 403
    assert login_as("supervisor").get("/rekomendasi/pegawai/999999").status_code == 404


def test_statement_count_does_not_grow(s, world, login_as):
    client = login_as("pegawai")
    client.get("/rekomendasi/")
    with count_statements() as small:
        client.get("/rekomendasi/")
    for n in range(12):
        db.session.add(Recommendation(key=f"x:{n}", employee_id=world.staff_a1.id,
                                      programme_id=[s.analytics, s.pka, s.archived][n % 3].id, year=date.today().year,
                                      source=RecommendationSource.LEARNING_HOURS, priority=Priority.LOW,
                                      reason=f"Alasan {n}"))
    db.session.flush()
    with count_statements() as large:
        html = client.get("/rekomendasi/").get_data(as_text=True)
    assert "Alasan 11" in html
    assert len(large) == len(small)

