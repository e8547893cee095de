"""The organisational capaian pages (unit list with inline setting, a unit's distribution) and the
team evaluation page (inline ratings): who may do what, what they show, bad input, htmx answers
and flat query counts."""
import re

import pytest
import sqlalchemy as sa

from portal.evaluation import services
from portal.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    OrgAssessment,
    OrgPredicate,
    Predicate,
    Rating,
)
from portal.extensions import db
from portal.people.models import UnitKind
from portal.plans.models import CoreValue, PlanStatus
from tests.conftest import count_statements
from tests.evaluation.sample import make_evaluation, sample_evaluation
from tests.evaluation.test_eval_team_org_services import staff_with
from tests.plans.sample import make_period, make_plan, sample_plan

HX = {"HX-Request": "true"}
NOV = {"tahun": 2026, "periode": 11}


@pytest.fixture
def period(world):
    return make_period(2026)


def _assessment(unit, key=11):
    return db.session.scalar(sa.select(OrgAssessment).where(
        OrgAssessment.org_unit_id == unit.id, OrgAssessment.period_key == key))


def _post_assessment(client, unit, period, key=11, predicate="baik", note="", headers=None):
    return client.post(f"/capaian-organisasi/{unit.id}", headers=headers or {},
                       data={"period_id": period.id, "period_key": key, "predicate": predicate, "note": note})


# ---------------------------------------------------------------- unit list
def test_list_shows_units_with_capaian_counts_and_breach(factory, world, login_as, period):
    staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, Predicate.GOOD])
    db.session.add(OrgAssessment(org_unit=world.dinas_a, period=period, period_key=11,
                                 subperiod=next(sp for sp in period.subperiods if sp.number == 11),
                                 predicate=OrgPredicate.NEEDS_IMPROVEMENT, note="Realisasi PAD rendah"))
    db.session.flush()
    html = login_as("pimpinan").get("/capaian-organisasi/", query_string=NOV).get_data(as_text=True)
    row = re.search(r'<tr id="unit-%d">.*?</tr>' % world.dinas_a.id, html, re.S).group(0)
    assert "Butuh Perbaikan" in row and "Realisasi PAD rendah" in row
    assert "2 dari 2 pegawai" in row and "Belum sesuai pedoman" in row
    assert "Butuh Perbaikan 0 % (paling sedikit 60 %)" in row
    assert f'action="/capaian-organisasi/{world.dinas_a.id}"' in row  # pimpinan sets it inline
    beta = re.search(r'<tr id="unit-%d">.*?</tr>' % world.dinas_b.id, html, re.S).group(0)
    assert "Belum ditetapkan" in beta and "0 dari 0 pegawai" in beta
    assert "November 2026" in html and '<option selected value="11">' in html


def test_admin_opd_reads_its_subtree_without_forms(world, login_as, period):
    response = login_as("admin_opd").get("/capaian-organisasi/", query_string=NOV)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dinas Alpha" in html and "Bidang Alpha Satu" in html and "Dinas Beta" not in html
    assert 'method="post" action="/capaian-organisasi/' not in html  # read-only: no inline forms


@pytest.mark.parametrize("role", ["pegawai", "supervisor"])
def test_list_is_not_for_employees(login_as, world, role):
    assert login_as(role).get("/capaian-organisasi/").status_code == 403


def test_list_search_htmx_and_empty_states(world, login_as, period):
    client = login_as("bkpsdm")
    response = client.get("/capaian-organisasi/", query_string={**NOV, "q": "beta"}, headers=HX)
    html = response.get_data(as_text=True)
    assert "<h1" not in html and "Dinas Beta" in html and "Dinas Alpha" not in html
    assert re.search(r'<select[^>]*data-hx-swap-oob="true" id="periode"', html)  # the year's sub-periods
    html = client.get("/capaian-organisasi/", query_string={"q": "tidak ada"}).get_data(as_text=True)
    assert "Tidak ada unit kerja yang cocok" in html


def test_list_without_period(world, login_as):
    html = login_as("pimpinan").get("/capaian-organisasi/").get_data(as_text=True)
    assert "Belum ada periode kinerja" in html


def test_list_query_count_is_flat(factory, world, login_as, period):
    client = login_as("pimpinan")
    client.get("/capaian-organisasi/", query_string=NOV)
    with count_statements() as few:
        client.get("/capaian-organisasi/", query_string=NOV)
    for i in range(6):
        unit = factory.unit(f"Dinas Tambahan {i}", UnitKind.DINAS, world.root)
        factory.unit(f"Bidang Tambahan {i}", UnitKind.BIDANG, unit)
        staff_with(factory, world, unit, [Predicate.GOOD], supervisor=world.staff_b)
    with count_statements() as many:
        html = client.get("/capaian-organisasi/", query_string=NOV).get_data(as_text=True)
    assert "Bidang Tambahan 5" in html
    assert len(many) == len(few)


# ---------------------------------------------------------------- set the capaian
def test_pimpinan_sets_capaian_without_js(world, login_as, period):
    response = _post_assessment(login_as("pimpinan"), world.dinas_a, period, predicate="butuh_perbaikan",
                                note="Serapan anggaran rendah")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/capaian-organisasi/?tahun=2026&periode=11")
    assessment = _assessment(world.dinas_a)
    assert assessment.predicate is OrgPredicate.NEEDS_IMPROVEMENT and assessment.note == "Serapan anggaran rendah"
    assert assessment.set_by_id == world.users["pimpinan"].id


def test_htmx_set_returns_the_row(world, login_as, period):
    response = _post_assessment(login_as("bkpsdm"), world.dinas_b, period, key=0, predicate="istimewa",
                                headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="unit-{world.dinas_b.id}">')
    assert "Istimewa" in html and "Capaian kinerja Dinas Beta Tahunan 2026: Istimewa." in html
    assert _assessment(world.dinas_b, 0).predicate is OrgPredicate.OUTSTANDING


@pytest.mark.parametrize("predicate", ["", "sangat_baik", "<script>"])
def test_bad_predicate_rerenders_the_row(world, login_as, period, predicate):
    client = login_as("pimpinan")
    response = _post_assessment(client, world.dinas_b, period, predicate=predicate, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pilih salah satu capaian kinerja organisasi." in html and 'aria-invalid="true"' in html
    assert _assessment(world.dinas_b) is None
    response = _post_assessment(client, world.dinas_b, period, predicate=predicate)
    assert response.status_code == 303
    assert "Pilih salah satu capaian" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_long_note_and_unknown_period(world, login_as, period):
    client = login_as("pimpinan")
    html = _post_assessment(client, world.dinas_b, period, note="x" * 501, headers=HX).get_data(as_text=True)
    assert "Paling banyak 500 karakter." in html
    html = _post_assessment(client, world.dinas_b, period, key=13, headers=HX).get_data(as_text=True)
    assert "Periode penilaian tidak dikenal" in html
    response = client.post(f"/capaian-organisasi/{world.dinas_b.id}", data={"period_id": "abc", "predicate": "baik"})
    assert response.status_code == 303
    assert _assessment(world.dinas_b) is None and _assessment(world.dinas_b, 13) is None


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd"])
def test_others_cannot_set(world, login_as, period, role):
    assert _post_assessment(login_as(role), world.dinas_a, period).status_code == 403
    assert _assessment(world.dinas_a) is None


def test_unknown_unit_is_404(world, login_as, period):
    assert login_as("pimpinan").post("/capaian-organisasi/999999", data={}).status_code == 404
    assert login_as("pimpinan").get("/capaian-organisasi/999999").status_code == 404


# ---------------------------------------------------------------- distribution page
def test_distribution_page_flags_breaches_and_drafts(factory, world, login_as, period):
    plans = staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, Predicate.GOOD, None])
    db.session.add(OrgAssessment(org_unit=world.dinas_a, period=period, period_key=11,
                                 subperiod=next(sp for sp in period.subperiods if sp.number == 11),
                                 predicate=OrgPredicate.NEEDS_IMPROVEMENT))
    db.session.flush()
    html = login_as("pimpinan").get(f"/capaian-organisasi/{world.dinas_a.id}", query_string=NOV).get_data(as_text=True)
    assert "Paling sedikit 60 % pegawai berpredikat Butuh Perbaikan." in html
    assert ("Distribusi belum sesuai pedoman: Butuh Perbaikan 0 % (paling sedikit 60 %).") in html
    assert 'id="draft-notice"' in html and "2 predikat masih draf." in html and "1 pegawai belum berpredikat." in html
    assert '<meter class="org-meter" min="0" max="100" value="100.0"' in html
    for plan in plans:
        assert f'href="/evaluasi/skp/{plan.id}/11"' in html
    assert "Bidang Alpha Satu" in html  # a sub-unit's staff say where they work
    assert "style=" not in html


def test_distribution_final_fits_and_no_assessment(factory, world, login_as, period):
    staff_with(factory, world, world.dinas_b, [Predicate.GOOD, Predicate.NEEDS_IMPROVEMENT],
               status=EvaluationStatus.FINAL, supervisor=world.staff_b)
    client = login_as("bkpsdm")
    html = client.get(f"/capaian-organisasi/{world.dinas_b.id}", query_string=NOV).get_data(as_text=True)
    assert "belum menetapkan capaian kinerja organisasi" in html and 'id="draft-notice"' not in html
    db.session.add(OrgAssessment(org_unit=world.dinas_b, period=period, period_key=11,
                                 subperiod=next(sp for sp in period.subperiods if sp.number == 11),
                                 predicate=OrgPredicate.GOOD))
    db.session.flush()
    html = client.get(f"/capaian-organisasi/{world.dinas_b.id}", query_string=NOV).get_data(as_text=True)
    assert "sejauh ini sesuai pedoman" in html and "belum sesuai pedoman" not in html


def test_distribution_access(world, login_as, period):
    assert login_as("supervisor").get(f"/capaian-organisasi/{world.bidang_a1.id}").status_code == 200
    assert login_as("supervisor").get(f"/capaian-organisasi/{world.dinas_a.id}").status_code == 403
    assert login_as("admin_opd").get(f"/capaian-organisasi/{world.bidang_a1.id}").status_code == 200
    assert login_as("admin_opd").get(f"/capaian-organisasi/{world.dinas_b.id}").status_code == 403
    assert login_as("pegawai").get(f"/capaian-organisasi/{world.bidang_a1.id}").status_code == 403
    html = login_as("supervisor").get(f"/capaian-organisasi/{world.bidang_a1.id}").get_data(as_text=True)
    assert "breadcrumb" not in html  # the unit list is not theirs


def test_distribution_htmx_and_empty(world, login_as, period):
    response = login_as("pimpinan").get(f"/capaian-organisasi/{world.dinas_b.id}", headers=HX,
                                        query_string={"tahun": 2026, "periode": 0})
    html = response.get_data(as_text=True)
    assert "<h1" not in html and "Tahunan 2026" in html and "Belum ada pegawai yang dievaluasi" in html


# ---------------------------------------------------------------- team view
def _row_html(html, plan):
    return re.search(r'<tr id="team-row-%d">.*?</tr>' % plan.id, html, re.S).group(0)


def test_team_page_lists_subordinates(world, login_as):
    s = sample_evaluation(world)
    html = login_as("supervisor").get("/evaluasi-tim/", query_string=NOV).get_data(as_text=True)
    row = _row_html(html, s.plan)
    assert "Staf Alpha" in row and world.staff_a1.nip_display in row and "Analis Data" in row
    assert "Draf" in row and f'action="/evaluasi-tim/{s.plan.id}/11"' in row
    assert '<option selected value="sesuai">' in row  # hasil already set in the draft
    assert f'href="/evaluasi/skp/{s.plan.id}/11"' in row
    assert 'id="team-distribution"' in html
    october = login_as("supervisor").get("/evaluasi-tim/", query_string={"tahun": 2026, "periode": 10})
    row = _row_html(october.get_data(as_text=True), s.plan)
    assert "Final" in row and "<form" not in row and "Baik" in row  # read-only


def test_team_page_empty_for_staff_and_htmx(world, login_as):
    sample_plan(world)
    html = login_as("pegawai").get("/evaluasi-tim/", query_string=NOV).get_data(as_text=True)
    assert "Belum ada pegawai untuk dinilai" in html
    html = login_as("superadmin").get("/evaluasi-tim/").get_data(as_text=True)
    assert "Belum ada pegawai untuk dinilai" in html
    html = login_as("supervisor").get("/evaluasi-tim/", query_string=NOV, headers=HX).get_data(as_text=True)
    assert "<h1" not in html and "team-row-" in html


def test_rate_row_creates_and_rates_keeping_the_rest(world, login_as):
    p = sample_plan(world)
    client = login_as("supervisor")
    response = client.post(f"/evaluasi-tim/{p.plan.id}/9", headers=HX,
                           data={"hasil_rating": "di_atas", "perilaku_rating": "di_atas"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "team-rated"
    assert html.lstrip().startswith(f'<tr id="team-row-{p.plan.id}">')
    assert "Sangat Baik" in html and "Predikat Staf Alpha: Sangat Baik." in html
    evaluation = services.evaluation_for(p.plan, 9)
    assert evaluation.predicate is Predicate.VERY_GOOD and evaluation.status is EvaluationStatus.DRAFT

    # what the full page wrote stays: reasons, notes, per-value ratings
    services.save_evaluation(evaluation, hasil_rating=Rating.ABOVE, hasil_reason="Melampaui target dataset",
                             perilaku_rating=Rating.ABOVE, perilaku_note="Sangat kolaboratif",
                             behaviours={CoreValue.COLLABORATIVE: (Rating.ABOVE, "Berbagi data")},
                             notes={p.indicator.id: "Pertahankan"}, suggested=Rating.MEETS)
    db.session.flush()
    response = client.post(f"/evaluasi-tim/{p.plan.id}/9",
                           data={"hasil_rating": "sesuai", "perilaku_rating": "di_bawah"})
    assert response.status_code == 303
    db.session.expire_all()
    evaluation = services.evaluation_for(p.plan, 9)
    assert (evaluation.hasil_rating, evaluation.perilaku_rating) == (Rating.MEETS, Rating.BELOW)
    assert evaluation.predicate is Predicate.POOR
    assert evaluation.hasil_reason == "Melampaui target dataset" and evaluation.perilaku_note == "Sangat kolaboratif"
    assert evaluation.suggested_rating is Rating.MEETS
    assert {b.value: (b.rating, b.note) for b in evaluation.behaviours}[CoreValue.COLLABORATIVE] == (
        Rating.ABOVE, "Berbagi data")
    assert [n.body for n in evaluation.notes] == ["Pertahankan"]
    assert "Predikat Staf Alpha: Kurang/Misconduct." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_rate_row_one_rating_at_a_time_and_nothing_chosen(world, login_as):
    p = sample_plan(world)
    client = login_as("supervisor")
    response = client.post(f"/evaluasi-tim/{p.plan.id}/8", headers=HX, data={"hasil_rating": "", "perilaku_rating": ""})
    assert response.status_code == 200 and services.evaluation_for(p.plan, 8) is None
    html = client.post(f"/evaluasi-tim/{p.plan.id}/8", headers=HX,
                       data={"hasil_rating": "di_bawah", "perilaku_rating": ""}).get_data(as_text=True)
    assert "Rating Staf Alpha tersimpan." in html
    evaluation = services.evaluation_for(p.plan, 8)
    assert evaluation.hasil_rating is Rating.BELOW and evaluation.predicate is None


@pytest.mark.parametrize("value", ["sangat_baik", "x" * 50, "0"])
def test_rate_row_bad_value(world, login_as, value):
    p = sample_plan(world)
    client = login_as("supervisor")
    response = client.post(f"/evaluasi-tim/{p.plan.id}/9", headers=HX,
                           data={"hasil_rating": value, "perilaku_rating": "sesuai"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pilih salah satu rating yang tersedia." in html
    assert 'aria-invalid="true"' in html and services.evaluation_for(p.plan, 9) is None
    response = client.post(f"/evaluasi-tim/{p.plan.id}/9", data={"hasil_rating": value})
    assert response.status_code == 303 and services.evaluation_for(p.plan, 9) is None


def test_final_row_is_read_only(world, login_as):
    s = sample_evaluation(world)
    response = login_as("supervisor").post(f"/evaluasi-tim/{s.plan.id}/10", headers=HX,
                                           data={"hasil_rating": "di_bawah", "perilaku_rating": "di_bawah"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "sudah final tidak dapat diubah" in html and "<form" not in html
    db.session.refresh(s.final)
    assert s.final.predicate is Predicate.GOOD


@pytest.mark.parametrize("role", ["pegawai", "admin_opd", "bkpsdm", "pimpinan", "superadmin"])
def test_only_the_appraiser_rates(world, login_as, role):
    p = sample_plan(world)
    response = login_as(role).post(f"/evaluasi-tim/{p.plan.id}/9", data={"hasil_rating": "sesuai"})
    assert response.status_code == 403
    assert services.evaluation_for(p.plan, 9) is None


def test_rate_row_unknown_plan_or_period(world, login_as):
    p = sample_plan(world)
    client = login_as("supervisor")
    assert client.post(f"/evaluasi-tim/{p.plan.id}/13", data={"hasil_rating": "sesuai"}).status_code == 404
    assert client.post("/evaluasi-tim/999999/9", data={"hasil_rating": "sesuai"}).status_code == 404
    p.plan.end_date = p.plan.end_date.replace(month=5, day=31)
    p.plan.status = PlanStatus.CLOSED
    db.session.flush()
    assert client.post(f"/evaluasi-tim/{p.plan.id}/9", data={"hasil_rating": "sesuai"}).status_code == 404


def test_unapproved_plan_gets_a_message(world, login_as, period):
    plan = make_plan(world.staff_a1, period, PlanStatus.SUBMITTED)
    html = login_as("supervisor").post(f"/evaluasi-tim/{plan.id}/9", headers=HX,
                                       data={"hasil_rating": "sesuai"}).get_data(as_text=True)
    assert "Hanya SKP yang sudah disetujui" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)
                             .where(Evaluation.plan_id == plan.id)) == 0


def test_head_row_takes_hasil_from_the_capaian(factory, world, login_as, period):
    from portal.people.models import PositionKind
    upt = factory.unit("UPT Alpha", UnitKind.UPT, world.bidang_a1)
    head = factory.employee(position=factory.position(upt, "Kepala UPT", PositionKind.PENGAWAS, is_head=True),
                            supervisor=world.chief_a1, name="Kepala UPT")
    plan = make_plan(head, period, PlanStatus.APPROVED)
    db.session.add(OrgAssessment(org_unit=upt, period=period, period_key=11, predicate=OrgPredicate.POOR,
                                 subperiod=next(sp for sp in period.subperiods if sp.number == 11)))
    db.session.flush()
    client = login_as("supervisor")
    row = _row_html(client.get("/evaluasi-tim/", query_string=NOV).get_data(as_text=True), plan)
    assert "dari capaian organisasi Kurang" in row and f'id="hasil-{plan.id}"' not in row
    html = client.post(f"/evaluasi-tim/{plan.id}/11", headers=HX,
                       data={"hasil_rating": "di_atas", "perilaku_rating": "sesuai"}).get_data(as_text=True)
    evaluation = services.evaluation_for(plan, 11)
    assert evaluation.hasil_rating is Rating.BELOW and evaluation.hasil_from_org
    assert evaluation.predicate is Predicate.NEEDS_IMPROVEMENT and "Butuh Perbaikan" in html


def test_team_page_query_count_is_flat(factory, world, login_as, period):
    def team_of(n, supervisor):
        plans = staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, None] * (n // 2),
                           supervisor=supervisor)
        for plan in plans:
            plan.appraiser = supervisor
        db.session.flush()

    small_boss = factory.employee(unit=world.dinas_b, name="Atasan Kecil")
    big_boss = factory.employee(unit=world.dinas_b, name="Atasan Besar")
    team_of(2, small_boss)
    team_of(8, big_boss)
    counts = []
    for boss, n in ((small_boss, 2), (big_boss, 8)):
        client = login_as(factory.user(boss))
        client.get("/evaluasi-tim/", query_string=NOV)
        with count_statements() as statements:
            html = client.get("/evaluasi-tim/", query_string=NOV).get_data(as_text=True)
        assert html.count('<tr id="team-row-') == n
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_team_rows_are_paginated_at_fifty(factory, world, login_as, period):
    boss = factory.employee(unit=world.dinas_b, name="Atasan Banyak")
    for plan in staff_with(factory, world, world.dinas_b, [None] * 52, supervisor=boss):
        plan.appraiser = boss
    db.session.flush()
    client = login_as(factory.user(boss))
    html = client.get("/evaluasi-tim/", query_string=NOV).get_data(as_text=True)
    assert html.count('<tr id="team-row-') == 50 and "52 pegawai" in html
    html = client.get("/evaluasi-tim/", query_string={**NOV, "page": 2}).get_data(as_text=True)
    assert html.count('<tr id="team-row-') == 2


def test_octobers_final_evaluation_counts_in_team_tally(world, login_as):
    s = sample_evaluation(world)
    make_evaluation(s.plan_sample.chief_plan, 10)  # the chief's own evaluation is not in their team
    html = login_as("supervisor").get("/evaluasi-tim/", query_string={"tahun": 2026, "periode": 10}).get_data(
        as_text=True)
    tally = re.search(r'<section id="team-distribution".*?</section>', html, re.S).group(0)
    assert re.search(r"Baik</span> <strong>1</strong>", tally)
