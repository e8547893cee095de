"""The catalogue for every ASN (/katalog): filters in SQL, search as you type, the programme page
with eligibility and sessions, and adding a programme to one's own IDP."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.catalogue.models import (
    Delivery,
    DevelopmentPlan,
    DevelopmentPlanItem,
    ProgrammeForm,
    ProviderKind,
    Recommendation,
    RecommendationStatus,
)
from portal.extensions import db
from portal.sessions.models import SessionStatus, TrainingSession
from tests.catalogue.sample import make_programme, sample_catalogue
from tests.conftest import count_statements

HX = {"HX-Request": "true"}


@pytest.fixture
def s(world):
    return sample_catalogue(world)


def _titles(response):
    html = response.get_data(as_text=True)
    return {t for t in ("Pelatihan Kerja Sama Tim", "Analisis Data untuk Administrasi",
                        "Pelatihan Kepemimpinan Pengawas", "Pelatihan Kepemimpinan Administrator",
                        "Pelatihan Lama") if t in html}


ALL_ACTIVE = {"Pelatihan Kerja Sama Tim", "Analisis Data untuk Administrasi", "Pelatihan Kepemimpinan Pengawas",
              "Pelatihan Kepemimpinan Administrator"}


def test_list_shows_active_programmes_with_details(s, login_as):
    response = login_as("pegawai").get("/katalog/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _titles(response) == ALL_ACTIVE  # the archived one is not listed
    assert "16 JP" in html and "Tatap muka" in html and "BKPSDM Kabupaten Uji" in html
    assert "Kerja Sama" in html  # the competency on the card
    assert s.session.start_date.strftime("%Y") in html  # next session date
    # staff_a1 has an open recommendation for the teamwork programme: one badge
    assert html.count("Direkomendasikan untuk Anda") == 1
    assert 'role="search"' in html and "input changed delay:300ms" in html and 'data-hx-push-url="true"' in html
    assert "/katalog/kelola" not in html


def test_bkpsdm_sees_the_link_to_manage(s, login_as):
    html = login_as("bkpsdm").get("/katalog/").get_data(as_text=True)
    assert "Kelola katalog" in html
    assert "Direkomendasikan untuk Anda" not in html


@pytest.mark.parametrize("query, expected", [
    ("q=kerja+sama", {"Pelatihan Kerja Sama Tim"}),
    ("q=PKA-01", {"Pelatihan Kepemimpinan Administrator"}),
    ("q=100%25", set()),  # a LIKE wildcard is searched for literally
    ("bentuk=pelatihan_kepemimpinan", {"Pelatihan Kepemimpinan Pengawas", "Pelatihan Kepemimpinan Administrator"}),
    ("bentuk=klasikal", ALL_ACTIVE),
    ("bentuk=nonklasikal", set()),
    ("metode=daring", {"Analisis Data untuk Administrasi"}),
    ("jp=pendek", {"Analisis Data untuk Administrasi"}),
    ("jp=sedang", {"Pelatihan Kerja Sama Tim"}),
    ("jp=panjang", {"Pelatihan Kepemimpinan Pengawas", "Pelatihan Kepemimpinan Administrator"}),
    ("penyelenggara=lan", set()),
    ("penyelenggara=bkpsdm", ALL_ACTIVE),
    ("jadwal=y", {"Pelatihan Kerja Sama Tim"}),
    ("bentuk=nonsense&metode=x&jp=y&penyelenggara=z&kompetensi=abc", ALL_ACTIVE),  # unknown values filter nothing
])
def test_filters(s, login_as, query, expected):
    response = login_as("pegawai").get(f"/katalog/?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_competency_filter_and_nonclassical(s, login_as):
    client = login_as("pegawai")
    assert _titles(client.get(f"/katalog/?kompetensi={s.data.id}")) == {"Analisis Data untuk Administrasi"}
    make_programme("COACH-1", "Coaching untuk Pengawas", form=ProgrammeForm.COACHING, jp=4)
    db.session.flush()
    html = client.get("/katalog/?bentuk=nonklasikal").get_data(as_text=True)
    assert "Coaching untuk Pengawas" in html and "Pelatihan Kerja Sama Tim" not in html


def test_past_or_cancelled_sessions_are_not_upcoming(s, login_as):
    s.session.status = SessionStatus.CANCELLED
    past = date.today() - timedelta(days=20)
    db.session.add(TrainingSession(programme=s.analytics, name="Lalu", start_date=past, end_date=past,
                                   capacity=10, status=SessionStatus.OPEN))
    db.session.flush()
    response = login_as("pegawai").get("/katalog/?jadwal=y")
    assert _titles(response) == set()
    assert "Tidak ada program yang cocok" in response.get_data(as_text=True)


def test_htmx_returns_the_results_partial(s, login_as):
    response = login_as("pegawai").get("/katalog/?q=analisis", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'role="search"' not in html
    assert "Analisis Data untuk Administrasi" in html and "Pelatihan Kerja Sama Tim" not in html


def test_filter_values_survive_in_the_form(s, login_as):
    html = login_as("pegawai").get("/katalog/?q=kerja&jp=sedang&jadwal=y").get_data(as_text=True)
    assert 'value="kerja"' in html
    assert '<option selected value="sedang">' in html or 'value="sedang" selected' in html


def test_paginated(s, login_as, monkeypatch, app):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    client = login_as("pegawai")
    first, second = client.get("/katalog/"), client.get("/katalog/?page=2")
    assert len(_titles(first)) == 2 and len(_titles(second)) == 2
    assert not _titles(first) & _titles(second)
    assert "halaman 1 dari 2" in first.get_data(as_text=True)


def test_statement_count_does_not_grow_with_data(s, login_as, world):
    client = login_as("pegawai")
    client.get("/katalog/")  # warm up (session load, translations)
    with count_statements() as small:
        assert client.get("/katalog/?bentuk=klasikal").status_code == 200
    for n in range(15):
        programme = make_programme(f"X-{n}", f"Program Tambahan {n}", jp=5 + n,
                                   competencies=[s.kerja_sama, s.data, s.komunikasi])
        db.session.flush()
        start = date.today() + timedelta(days=10 + n)
        db.session.add(TrainingSession(programme=programme, name="A", start_date=start, end_date=start, capacity=5,
                                       status=SessionStatus.OPEN))
        db.session.add(Recommendation(key=f"x:{n}", employee_id=world.staff_a1.id, programme_id=programme.id,
                                      year=date.today().year, source=s.recommendation.source,
                                      priority=s.recommendation.priority, reason="Uji"))
    db.session.flush()
    with count_statements() as large:
        response = client.get("/katalog/?bentuk=klasikal")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("Direkomendasikan untuk Anda") >= 15
    assert len(large) == len(small)


# ---------------------------------------------------------------- the programme page
def test_programme_page(s, login_as):
    s.teamwork.prerequisites = "Sudah bekerja minimal 1 tahun."
    db.session.flush()
    html = login_as("pegawai").get(f"/katalog/{s.teamwork.id}").get_data(as_text=True)
    assert "Pelatihan Kerja Sama Tim" in html and "Deskripsi Pelatihan Kerja Sama Tim." in html
    assert "Sudah bekerja minimal 1 tahun." in html
    assert "Angkatan I" in html and "Aula BKPSDM" in html and "30 orang" in html
    assert "Anda memenuhi syarat program ini." in html
    assert "Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026" in html  # the viewer's reason
    assert "Tambahkan ke rencana pengembangan" in html
    assert "Terbuka untuk semua ASN." in html


def test_eligibility_in_words(s, login_as):
    html = login_as("pegawai").get(f"/katalog/{s.pkp.id}").get_data(as_text=True)
    assert "Jenis jabatan: Pengawas." in html
    assert "Anda belum memenuhi syarat program ini" in html and "Hanya untuk jenis jabatan: Pengawas." in html
    assert "Tambahkan ke rencana pengembangan" not in html


def test_golongan_and_pppk_rules(s, login_as):
    s.analytics.golongan_min, s.analytics.golongan_max, s.analytics.open_to_pppk = "III/b", "IV/a", False
    db.session.flush()
    html = login_as("pegawai").get(f"/katalog/{s.analytics.id}").get_data(as_text=True)  # staff_a1 is III/a
    assert "Golongan PNS: III/b sampai IV/a." in html and "Tidak terbuka untuk PPPK." in html
    assert "Golongan III/b sampai IV/a." in html  # why the viewer is not eligible


def test_user_without_employee_sees_general_rules_only(s, login_as):
    html = login_as("superadmin").get(f"/katalog/{s.pkp.id}").get_data(as_text=True)
    assert "Jenis jabatan: Pengawas." in html
    assert "tidak terhubung dengan data pegawai" in html
    assert "Tambahkan ke rencana pengembangan" not in html


def test_archived_programme(s, login_as):
    assert login_as("pegawai").get(f"/katalog/{s.archived.id}").status_code == 403
    html = login_as("bkpsdm").get(f"/katalog/{s.archived.id}").get_data(as_text=True)
    assert "Pelatihan Lama" in html and "Diarsipkan" in html
    assert "Tambahkan ke rencana pengembangan" not in html
    assert login_as("pegawai").get("/katalog/999999").status_code == 404


def _items(employee):
    return db.session.scalars(sa.select(DevelopmentPlanItem).join(DevelopmentPlan).where(
        DevelopmentPlan.employee_id == employee.id)).all()


def test_add_to_plan_creates_plan_and_item(s, login_as, world):
    client = login_as("pegawai")
    # a programme not recommended and not yet in staff_a1's IDP
    other = make_programme("WEB-1", "Menulis untuk Web", jp=4, delivery=Delivery.ONLINE)
    db.session.flush()
    response = client.post(f"/katalog/{other.id}/rencana")
    assert response.status_code == 303
    assert any(i.programme_id == other.id for i in _items(world.staff_a1))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Menulis untuk Web ditambahkan ke rencana pengembangan" in page
    # twice: refused with a message, nothing added
    client.post(f"/katalog/{other.id}/rencana")
    assert sum(i.programme_id == other.id for i in _items(world.staff_a1)) == 1


def test_add_to_plan_accepts_the_open_recommendation(s, login_as, world):
    response = login_as("pegawai").post(f"/katalog/{s.teamwork.id}/rencana")
    assert response.status_code == 303
    db.session.refresh(s.recommendation)
    assert s.recommendation.status is RecommendationStatus.ACCEPTED
    item = next(i for i in _items(world.staff_a1) if i.programme_id == s.teamwork.id)
    assert item.recommendation_id == s.recommendation.id


def test_add_to_plan_refused_when_ineligible(s, login_as, world):
    client = login_as("pegawai")
    response = client.post(f"/katalog/{s.pkp.id}/rencana")
    assert response.status_code == 303
    assert not any(i.programme_id == s.pkp.id for i in _items(world.staff_a1))
    assert "belum memenuhi syarat" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_add_to_plan_needs_an_employee_and_a_visible_programme(s, login_as):
    assert login_as("superadmin").post(f"/katalog/{s.teamwork.id}/rencana").status_code == 403
    assert login_as("pegawai").post(f"/katalog/{s.archived.id}/rencana").status_code == 403


def test_provider_kind_titles(s, login_as):
    s.analytics.provider_kind, s.analytics.provider_name = ProviderKind.LAN, ""
    db.session.flush()
    html = login_as("pegawai").get(f"/katalog/{s.analytics.id}").get_data(as_text=True)
    assert "LAN" in html
