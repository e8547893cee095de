"""Talent: the 9-box from final evaluations and recorded potential, recording potential (inline and
CSV import), recomputed recommendations, permissions."""
from datetime import date

import pytest

from portal.catalogue import talent_services as services
from portal.catalogue.models import Potential, Recommendation, RecommendationSource, TalentAssessment
from portal.core.audit import AuditEntry
from portal.evaluation.models import EvaluationStatus, Predicate, Rating
from portal.extensions import db
from portal.plans.models import PlanStatus
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements
from tests.evaluation.sample import make_evaluation
from tests.plans.sample import make_period, make_plan

YEAR = date.today().year


def final(plan, key, predicate):
    return make_evaluation(plan, key, status=EvaluationStatus.FINAL, hasil=Rating.MEETS, perilaku=Rating.MEETS,
                           predicate=predicate)


def assess(employee, potential, year=YEAR):
    existing = db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=employee.id, year=year))
    if existing is not None:
        existing.potential = potential
        return existing
    assessment = TalentAssessment(employee_id=employee.id, year=year, potential=potential)
    db.session.add(assessment)
    return assessment


@pytest.fixture
def boxes(world, factory):
    """staff_a1: yearly Sangat Baik outranks October Baik, potential tinggi → box 9;
    chief_a1: last year's Sangat Baik, then this year's March Kurang, menengah → box 3;
    staff_b: a draft evaluation only, rendah → unplaced; head_a: final Baik but potential only
    last year → not counted; beta_star (Dinas Beta): Baik, tinggi → box 8."""
    s = sample_catalogue(world)
    period, last = make_period(YEAR), make_period(YEAR - 1)
    plan = make_plan(world.staff_a1, period, PlanStatus.APPROVED)
    final(plan, 10, Predicate.GOOD)
    final(plan, 0, Predicate.VERY_GOOD)
    final(make_plan(world.chief_a1, last, PlanStatus.APPROVED), 0, Predicate.VERY_GOOD)
    final(make_plan(world.chief_a1, period, PlanStatus.APPROVED), 3, Predicate.POOR)
    make_evaluation(make_plan(world.staff_b, period, PlanStatus.APPROVED), 4)
    final(make_plan(world.head_a, period, PlanStatus.APPROVED), 5, Predicate.GOOD)
    beta_star = factory.employee(unit=world.dinas_b, name="Bintang Beta")
    final(make_plan(beta_star, period, PlanStatus.APPROVED), 6, Predicate.GOOD)
    assess(world.staff_a1, Potential.HIGH)
    assess(world.chief_a1, Potential.MEDIUM)
    assess(world.staff_b, Potential.LOW)
    assess(world.head_a, Potential.HIGH, year=YEAR - 1)
    assess(beta_star, Potential.HIGH)
    db.session.flush()
    s.beta_star = beta_star
    return s


def test_grid_counts_and_latest_final_evaluation(world, boxes):
    grid = services.nine_box_grid(YEAR)
    assert {b: n for b, n in grid.counts.items() if n} == {9: 1, 3: 1, 8: 1}
    assert grid.unplaced == 1 and grid.placed == 3
    alpha = services.nine_box_grid(YEAR, world.dinas_a)
    assert {b: n for b, n in alpha.counts.items() if n} == {9: 1, 3: 1}
    members = db.session.scalars(services.box_members_query(YEAR, 9)).all()
    assert members == [world.staff_a1]
    assert services.predicates_of([world.staff_a1.id], YEAR) == {world.staff_a1.id: Predicate.VERY_GOOD}
    assert db.session.scalars(services.box_members_query(YEAR, 8, world.dinas_a)).all() == []


def test_grid_page_shows_counts_actions_and_box_members(world, boxes, login_as):
    client = login_as("pimpinan")
    html = client.get(f"/talenta/?tahun={YEAR}").get_data(as_text=True)
    assert "Promosi; suksesi instansi/nasional; penghargaan" in html
    assert "Pilih sebuah kotak" in html
    page = client.get(f"/talenta/?tahun={YEAR}&kotak=9")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and world.staff_a1.name in text and "Sangat Baik" in text
    assert world.chief_a1.name not in text
    partial = client.get(f"/talenta/?tahun={YEAR}&kotak=3", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and world.chief_a1.name in partial
    # Pimpinan reads the grid but does not record potential.
    assert "Catat potensial" not in text
    assert client.get("/talenta/?kotak=99&tahun=x").status_code == 200


def test_grid_statement_count_is_fixed(world, boxes, login_as, factory):
    client = login_as("bkpsdm")

    def count():
        with count_statements() as seen:
            assert client.get(f"/talenta/?tahun={YEAR}&kotak=8").status_code == 200
        return len(seen)

    before = count()
    period = make_period(YEAR)
    for n in range(5):
        employee = factory.employee(unit=world.dinas_b, name=f"Talenta {n}")
        final(make_plan(employee, period, PlanStatus.APPROVED), 7, Predicate.GOOD)
        assess(employee, Potential.HIGH)
    db.session.flush()
    assert count() == before


def test_set_potential_audits_and_recommends_leadership_for_a_star(world, boxes, login_as):
    # staff_a1 (pelaksana) performs above expectations; with potential tinggi the next level is PKP.
    assess(world.staff_a1, Potential.MEDIUM)
    db.session.flush()
    client = login_as("bkpsdm")
    response = client.post(f"/talenta/potensial/{world.staff_a1.id}",
                           data={"tahun": YEAR, "potential": "tinggi", "note": "Asesmen 2026"},
                           headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and "Tinggi" in text
    db.session.expire_all()
    assessment = db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=world.staff_a1.id, year=YEAR))
    assert assessment.potential is Potential.HIGH and assessment.note == "Asesmen 2026"
    assert assessment.assessed_by_id == world.users["bkpsdm"].id
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="talent.potential_set")
                              .order_by(AuditEntry.id.desc()))
    assert entry.object_id == assessment.id
    assert entry.changes["potential"] == ["menengah", "tinggi"]
    talent = db.session.scalars(db.select(Recommendation).filter_by(
        employee_id=world.staff_a1.id, source=RecommendationSource.TALENT)).all()
    assert [r.programme_id for r in talent] == [boxes.pkp.id]
    assert "kotak 9" in talent[0].reason


def test_set_potential_without_javascript_redirects(world, boxes, login_as):
    client = login_as("superadmin")
    response = client.post(f"/talenta/potensial/{world.staff_b.id}", data={"tahun": YEAR, "potential": "menengah"})
    assert response.status_code == 303
    db.session.expire_all()
    assessment = db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=world.staff_b.id, year=YEAR))
    assert assessment.potential is Potential.MEDIUM


def test_set_potential_refuses_bad_input(world, boxes, login_as):
    client = login_as("bkpsdm")
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    response = client.post(f"/talenta/potensial/{world.staff_b.id}", data={"tahun": YEAR, "potential": "jenius"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    response = client.post(f"/talenta/potensial/{world.staff_b.id}",
                           data={"tahun": YEAR, "potential": "tinggi", "note": "x" * 1001},
                           headers={"HX-Request": "true"})
    assert "Paling banyak" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == before
    db.session.expire_all()
    assessment = db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=world.staff_b.id, year=YEAR))
    assert assessment.potential is Potential.LOW
    assert client.post("/talenta/potensial/999999", data={"potential": "tinggi"}).status_code == 404


def test_recording_list_search_and_partial(world, boxes, login_as):
    client = login_as("bkpsdm")
    html = client.get(f"/talenta/potensial?tahun={YEAR}&q=Bintang").get_data(as_text=True)
    assert boxes.beta_star.name in html and world.staff_a1.name not in html
    assert 'selected value="tinggi"' in html or 'value="tinggi" selected' in html
    partial = client.get(f"/talenta/potensial?opd={world.dinas_a.id}", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "<html" not in text and world.staff_a1.name in text and world.staff_b.name not in text


def _upload(client, body: str, year=YEAR):
    import io
    return client.post("/talenta/potensial/impor", data={"tahun": str(year), "file": (io.BytesIO(body.encode()), "p.csv")},
                       content_type="multipart/form-data")


def test_import_writes_all_rows_and_recomputes(world, boxes, login_as):
    client = login_as("bkpsdm")
    body = (f"nip;potensial;catatan\n{world.staff_b.nip};Tinggi;Sidang talenta\n"
            f"{world.head_a.nip};menengah;\n")
    response = _upload(client, body)
    assert response.status_code == 303
    db.session.expire_all()
    found = {a.employee_id: a for a in db.session.scalars(db.select(TalentAssessment).filter_by(year=YEAR))}
    assert found[world.staff_b.id].potential is Potential.HIGH and found[world.staff_b.id].note == "Sidang talenta"
    assert found[world.head_a.id].potential is Potential.MEDIUM


def test_import_with_a_bad_row_writes_nothing(world, boxes, login_as):
    client = login_as("bkpsdm")
    body = (f"nip,potensial,catatan\n{world.staff_b.nip},tinggi,\n"
            "199901012020011999,tinggi,\n"
            f"{world.head_a.nip},luar biasa,\n"
            f"{world.staff_b.nip},rendah,\n")
    response = _upload(client, body)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tidak ada pegawai dengan NIP ini" in text and "luar biasa" in text and "baris 2" in text
    assert "3 baris bermasalah" in text
    db.session.expire_all()
    assert db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=world.staff_b.id, year=YEAR)
                             ).potential is Potential.LOW
    assert db.session.scalar(db.select(TalentAssessment).filter_by(employee_id=world.head_a.id, year=YEAR)) is None


def test_import_refuses_a_file_without_the_columns(world, boxes, login_as):
    client = login_as("bkpsdm")
    text = _upload(client, "nama,nilai\nA,1\n").get_data(as_text=True)
    assert "Kolom wajib tidak ada" in text
    text = client.post("/talenta/potensial/impor", data={"tahun": str(YEAR)},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Pilih berkas CSV" in text
    template = client.get("/talenta/potensial/templat.csv")
    assert template.status_code == 200 and b"nip,potensial,catatan" in template.get_data()


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd"])
def test_talent_is_closed_to_others(world, login_as, role):
    client = login_as(role)
    assert client.get("/talenta/").status_code == 403
    assert client.get("/talenta/potensial").status_code == 403
    assert client.post(f"/talenta/potensial/{world.staff_b.id}", data={"potential": "tinggi"}).status_code == 403


def test_pimpinan_cannot_record(world, login_as):
    client = login_as("pimpinan")
    assert client.get("/talenta/potensial").status_code == 403
    assert client.post(f"/talenta/potensial/{world.staff_b.id}", data={"potential": "tinggi"}).status_code == 403
    assert client.get("/talenta/potensial/impor").status_code == 403


def test_recording_list_statement_count_is_fixed(world, boxes, login_as, factory):
    client = login_as("bkpsdm")

    def count():
        with count_statements() as seen:
            assert client.get(f"/talenta/potensial?tahun={YEAR}").status_code == 200
        return len(seen)

    before = count()
    for n in range(5):
        assess(factory.employee(unit=world.dinas_b, name=f"Tambahan {n}"), Potential.MEDIUM)
    db.session.flush()
    assert count() == before
