"""Training needs analysis: the numbers on a small hand-built dataset, scope, exports, statements."""
import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest

from portal.catalogue import tna_services as services
from portal.catalogue.models import (
    DevelopmentPlan,
    DevelopmentPlanItem,
    IdpItemStatus,
    Priority,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)
from portal.extensions import db
from portal.sessions.models import SessionStatus, TrainingSession
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements

YEAR = date.today().year


def recommend(employee, programme, *, source=RecommendationSource.LEARNING_HOURS, mandatory=False,
              status=RecommendationStatus.OPEN, competency=None, year=YEAR):
    rec = Recommendation(key=f"t:{employee.id}:{programme.id}:{source.value}:{year}", employee_id=employee.id,
                         programme_id=programme.id, year=year, source=source, priority=Priority.MEDIUM,
                         is_mandatory=mandatory, reason="Uji", status=status,
                         competency_id=competency.id if competency else None,
                         dismiss_reason="Tidak relevan" if status is RecommendationStatus.DISMISSED else None)
    db.session.add(rec)
    return rec


def plan_item(employee, programme, *, status=IdpItemStatus.PLANNED, year=YEAR):
    plan = db.session.scalar(db.select(DevelopmentPlan).filter_by(employee_id=employee.id, year=year))
    if plan is None:
        plan = DevelopmentPlan(employee_id=employee.id, year=year)
        db.session.add(plan)
    item = DevelopmentPlanItem(plan=plan, programme=programme, form=programme.form, title=programme.title,
                               jp_planned=programme.jp, status=status)
    db.session.add(item)
    return item


@pytest.fixture
def data(world):
    """Demand in two OPDs (Dinas Alpha: staff_a1, chief_a1, head_a; Dinas Beta: staff_b).

    teamwork (Rp 1.500.000, 30 upcoming places): staff_a1 (sample recommendation), chief_a1
      (recommendation and the same programme in the IDP: counted once), staff_b (IDP) → 3;
    analytics (Rp 1.500.000): staff_a1 (sample IDP item) → 1;
    pkp (Rp 12.000.000): chief_a1 mandatory, staff_b mandatory, head_a dismissed (not counted) → 2;
    pka: staff_b last year (not counted); archived programme: never counted.
    """
    s = sample_catalogue(world)
    recommend(world.chief_a1, s.teamwork, source=RecommendationSource.CORE_VALUE, competency=s.kerja_sama)
    plan_item(world.chief_a1, s.teamwork)
    plan_item(world.staff_b, s.teamwork)
    recommend(world.chief_a1, s.pkp, source=RecommendationSource.LEADERSHIP, mandatory=True,
              status=RecommendationStatus.ACCEPTED)
    recommend(world.staff_b, s.pkp, source=RecommendationSource.LEADERSHIP, mandatory=True)
    recommend(world.head_a, s.pkp, status=RecommendationStatus.DISMISSED)
    recommend(world.staff_b, s.pka, year=YEAR - 1)
    recommend(world.staff_b, s.archived)
    plan_item(world.head_a, s.analytics, status=IdpItemStatus.DROPPED)
    db.session.flush()
    return s


def by_title(analysis):
    return {p.title: p for p in analysis.programmes}


def test_programme_demand_counts_employees_once_and_splits_mandatory(world, data):
    analysis = services.programme_demand(services.Filters(year=YEAR), world.users["bkpsdm"])
    rows = by_title(analysis)
    assert set(rows) == {data.teamwork.title, data.analytics.title, data.pkp.title}
    teamwork, analytics, pkp = rows[data.teamwork.title], rows[data.analytics.title], rows[data.pkp.title]
    assert (teamwork.employees, teamwork.mandatory, teamwork.other) == (3, 0, 3)
    assert teamwork.cost == Decimal("4500000")
    assert (teamwork.seats, teamwork.shortfall) == (30, 0)
    assert (analytics.employees, analytics.seats, analytics.shortfall) == (1, 0, 1)
    assert (pkp.employees, pkp.mandatory, pkp.cost) == (2, 2, Decimal("24000000"))
    assert pkp.jp_total == 600
    # The default order: most employees first.
    assert analysis.programmes[0].title == data.teamwork.title
    totals = analysis.totals
    assert (totals.employees, totals.places, totals.mandatory) == (3, 6, 2)
    assert totals.cost == Decimal("4500000") + Decimal("1500000") + Decimal("24000000")
    assert totals.shortfall == 1 + 2


def test_filters_by_opd_source_form_and_year(world, data):
    user = world.users["bkpsdm"]
    beta = by_title(services.programme_demand(services.Filters(year=YEAR, opd_id=world.dinas_b.id), user))
    assert {t: p.employees for t, p in beta.items()} == {data.teamwork.title: 1, data.pkp.title: 1}
    idp_only = by_title(services.programme_demand(services.Filters(year=YEAR, source="rencana"), user))
    assert {t: p.employees for t, p in idp_only.items()} == {data.teamwork.title: 2, data.analytics.title: 1}
    leadership = by_title(services.programme_demand(services.Filters(year=YEAR, source="kepemimpinan"), user))
    assert {t: p.employees for t, p in leadership.items()} == {data.pkp.title: 2}
    technical = by_title(services.programme_demand(services.Filters(year=YEAR, form=data.analytics.form), user))
    assert set(technical) == {data.analytics.title}
    last_year = by_title(services.programme_demand(services.Filters(year=YEAR - 1), user))
    assert {t: p.employees for t, p in last_year.items()} == {data.pka.title: 1}


def test_sort_by_shortfall_and_title(world, data):
    user = world.users["bkpsdm"]
    by_gap = services.programme_demand(services.Filters(year=YEAR, sort="kekurangan"), user)
    assert [p.title for p in by_gap.programmes][0] == data.pkp.title
    by_name = services.programme_demand(services.Filters(year=YEAR, sort="judul"), user)
    titles = [p.title for p in by_name.programmes]
    assert titles == sorted(titles)


def test_opd_and_competency_demand(world, data):
    user = world.users["bkpsdm"]
    opds = {r.name: r for r in services.opd_demand(services.Filters(year=YEAR), user)}
    assert set(opds) == {world.dinas_a.name, world.dinas_b.name}
    alpha, beta = opds[world.dinas_a.name], opds[world.dinas_b.name]
    # Alpha: staff_a1 (teamwork, analytics), chief_a1 (teamwork, pkp).
    assert (alpha.employees, alpha.places, alpha.mandatory, alpha.programmes) == (2, 4, 1, 3)
    assert alpha.cost == Decimal("1500000") * 3 + Decimal("12000000")
    assert (beta.employees, beta.places, beta.mandatory) == (1, 2, 1)
    drill = services.opd_demand(services.Filters(year=YEAR), user, programme_id=data.pkp.id)
    assert {(r.name, r.employees) for r in drill} == {(world.dinas_a.name, 1), (world.dinas_b.name, 1)}
    competencies = {r.name: r for r in services.competency_demand(services.Filters(year=YEAR), user)}
    # teamwork addresses kerja sama and komunikasi; analytics addresses data; pkp none.
    assert competencies[data.kerja_sama.name].employees == 3
    assert competencies[data.komunikasi.name].employees == 3
    assert competencies[data.data.name].employees == 1
    assert data.pelayanan.name not in competencies


def test_admin_opd_sees_only_their_subtree(world, data, login_as):
    admin = world.users["admin_opd"]
    analysis = services.programme_demand(services.Filters(year=YEAR), admin)
    assert analysis.totals.employees == 2
    assert {r.name for r in services.opd_demand(services.Filters(year=YEAR), admin)} == {world.dinas_a.name}
    assert [o.name for o in services.opd_choices(admin)] == [world.dinas_a.name]
    # Asking for another OPD in the URL shows nothing of it.
    page = login_as("admin_opd").get(f"/analisis-kebutuhan/?lihat=opd&opd={world.dinas_b.id}")
    assert page.status_code == 200
    assert world.dinas_b.name not in page.get_data(as_text=True)


def test_page_shows_table_totals_and_htmx_partial(world, data, login_as):
    client = login_as("bkpsdm")
    page = client.get(f"/analisis-kebutuhan/?tahun={YEAR}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert data.teamwork.title in html and "4.500.000" in html and "30.000.000" in html
    assert "<form" in html and "Unduh XLSX" in html
    partial = client.get(f"/analisis-kebutuhan/?tahun={YEAR}&lihat=kompetensi", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "<html" not in text and data.kerja_sama.name in text
    # Junk filters fall back to the defaults rather than fail.
    junk = client.get("/analisis-kebutuhan/?tahun=abc&opd=x&sumber=zzz&bentuk=q&urut=--&lihat=%00")
    assert junk.status_code == 200 and data.teamwork.title in junk.get_data(as_text=True)


def test_programme_drilldown_page_and_partial(world, data, login_as):
    client = login_as("pimpinan")
    page = client.get(f"/analisis-kebutuhan/program/{data.pkp.id}?tahun={YEAR}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and world.dinas_b.name in html and "24.000.000" in html
    partial = client.get(f"/analisis-kebutuhan/program/{data.pkp.id}", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)
    assert client.get("/analisis-kebutuhan/program/999999").status_code == 404


def test_exports_parse(world, data, login_as):
    client = login_as("bkpsdm")
    response = client.get(f"/analisis-kebutuhan/unduh.csv?tahun={YEAR}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:2] == ["Kode", "Program"]
    assert rows[1][1] == data.teamwork.title and rows[1][4] == "3"
    assert rows[-1][1] == "Jumlah" and rows[-1][4] == "6"
    response = client.get(f"/analisis-kebutuhan/unduh.xlsx?tahun={YEAR}&lihat=opd")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "OPD"
    assert {(r[0], r[1]) for r in values[1:]} == {(world.dinas_a.name, 2), (world.dinas_b.name, 1)}


def test_csv_cells_cannot_run_formulas():
    body = services.to_csv(["a"], [["=HYPERLINK(1)"], ["-5"], ["teks"]]).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "teks" in body


def test_pegawai_and_supervisor_are_refused(login_as, world):
    assert login_as("pegawai").get("/analisis-kebutuhan/").status_code == 403
    assert login_as("supervisor").get("/analisis-kebutuhan/unduh.xlsx").status_code == 403


def test_statement_count_does_not_grow_with_data(world, data, login_as, factory):
    client = login_as("bkpsdm")

    def statements():
        counts = []
        for view in ("program", "opd", "kompetensi"):
            with count_statements() as seen:
                assert client.get(f"/analisis-kebutuhan/?lihat={view}").status_code == 200
            counts.append(len(seen))
        return counts

    before = statements()
    start = date.today() + timedelta(days=10)
    for n in range(6):
        employee = factory.employee(unit=world.dinas_b if n % 2 else world.bidang_a1, name=f"Tambahan {n}")
        recommend(employee, data.teamwork)
        recommend(employee, data.analytics, source=RecommendationSource.RESULT, competency=data.data)
        plan_item(employee, data.pkp)
        db.session.add(TrainingSession(programme=data.pkp, name=f"Angkatan {n}", start_date=start,
                                       end_date=start, capacity=5, status=SessionStatus.OPEN))
    db.session.flush()
    assert statements() == before
