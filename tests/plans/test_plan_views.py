"""SKP pages: create, edit in place (htmx and plain), workflow, refusals, cascade, list."""
import sqlalchemy as sa

from portal.extensions import db
from portal.plans import plan_services as ps
from portal.plans.models import PerformancePlan, PlanStatus, ResultPlan
from tests.conftest import count_statements
from tests.plans.sample import make_period, make_plan, sample_plan

HX = {"HX-Request": "true"}


def _draft(world, year=2027):
    period = make_period(year)
    plan = ps.create_plan(world.staff_a1, period)
    db.session.flush()
    return plan


def test_new_plan_and_create_twice(world, login_as):
    period = make_period(2027)
    client = login_as("pegawai")
    page = client.get("/skp/baru")
    assert page.status_code == 200 and "Turunkan dari RHK atasan" in page.get_data(as_text=True)
    response = client.post("/skp/baru", data={"period": period.id, "start_from": ""})
    assert response.status_code == 303
    plan = db.session.scalar(sa.select(PerformancePlan).where(PerformancePlan.employee_id == world.staff_a1.id))
    assert response.headers["Location"].endswith(f"/skp/{plan.id}")
    again = client.post("/skp/baru", data={"period": period.id, "start_from": ""})
    assert again.status_code == 200 and "sudah memiliki SKP 2027" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PerformancePlan)) == 1


def test_account_without_employee_gets_an_explanation(world, login_as):
    make_period(2027)
    page = login_as("superadmin").get("/skp/baru")
    assert page.status_code == 200 and "tidak terhubung dengan data pegawai" in page.get_data(as_text=True)


def test_edit_in_place_with_htmx_and_validation(world, login_as):
    plan = _draft(world)
    client = login_as("pegawai")
    form = client.get(f"/skp/{plan.id}/rhk/baru", headers=HX)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and html.startswith('<div id="plan-body">') and "<html" not in html
    saved = client.post(f"/skp/{plan.id}/rhk/baru", headers=HX, data={
        "kind": "utama", "text": "Dataset tersusun", "intervention": "", "lock_version": plan.lock_version})
    assert saved.status_code == 200 and "Dataset tersusun" in saved.get_data(as_text=True)
    result = db.session.scalar(sa.select(ResultPlan).where(ResultPlan.plan_id == plan.id))
    db.session.refresh(plan)
    for bad, message in [("0", "lebih besar dari nol"), ("-5", "lebih besar dari nol"), ("abc", "harus berupa angka")]:
        response = client.post(f"/skp/{plan.id}/rhk/{result.id}/iki", headers=HX, data={
            "aspect": "kuantitas", "text": "Jumlah", "measure": "angka", "target_value": bad,
            "target_unit": "dataset", "direction": "naik", "aggregation": "jumlah",
            "lock_version": plan.lock_version})
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    ok = client.post(f"/skp/{plan.id}/rhk/{result.id}/iki", data={
        "aspect": "kuantitas", "text": "Jumlah", "measure": "angka", "target_value": "12",
        "target_unit": "dataset", "direction": "naik", "aggregation": "jumlah", "lock_version": plan.lock_version})
    assert ok.status_code == 303
    db.session.expire_all()
    assert [i.target_label for i in db.session.get(ResultPlan, result.id).indicators] == ["12 dataset"]


def test_second_tab_is_told(world, login_as):
    plan = _draft(world)
    client = login_as("pegawai")
    stale = plan.lock_version
    first = client.post(f"/skp/{plan.id}/lampiran", data={
        "resources": "Laptop", "accountability": "", "consequences": "", "lock_version": stale})
    assert first.status_code == 303
    second = client.post(f"/skp/{plan.id}/lampiran", data={
        "resources": "Mobil dinas", "accountability": "", "consequences": "", "lock_version": stale})
    assert second.status_code == 200 and "jendela atau tab lain" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PerformancePlan, plan.id).resources == "Laptop"


def test_submit_empty_plan_is_refused_with_message(world, login_as):
    plan = _draft(world)
    client = login_as("pegawai")
    response = client.post(f"/skp/{plan.id}/ajukan", data={"lock_version": plan.lock_version},
                           follow_redirects=True)
    assert "isi sedikitnya satu RHK utama" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PerformancePlan, plan.id).status is PlanStatus.DRAFT


def test_approved_plan_cannot_be_edited_nor_approved_by_owner(world, login_as):
    s = sample_plan(world)
    client = login_as("pegawai")
    response = client.post(f"/skp/{s.plan.id}/rhk/baru", data={"kind": "utama", "text": "Baru"},
                           follow_redirects=True)
    assert "tidak dapat Anda ubah" in response.get_data(as_text=True)
    page = client.get(f"/skp/{s.plan.id}").get_data(as_text=True)
    assert "Tambah RHK" not in page and "Revisi SKP" in page
    assert not s.plan.can_decide(world.users["pegawai"])  # one's own plan: never the appraiser
    refused = client.post(f"/skp/{s.plan.id}/setujui", follow_redirects=True)
    assert "Hanya pejabat penilai" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(PerformancePlan, s.plan.id).results) == 2


def test_supervisor_cannot_act_on_someone_elses_subordinate(world, login_as, factory):
    period = make_period(2027)
    other = make_plan(world.staff_b, period, PlanStatus.SUBMITTED)
    other.appraiser = factory.employee(unit=world.dinas_b, name="Kabid Beta")
    db.session.flush()
    client = login_as("supervisor")
    assert client.get(f"/skp/{other.id}").status_code == 403
    assert client.post(f"/skp/{other.id}/setujui").status_code == 403
    assert client.post(f"/skp/{other.id}/kembalikan", data={"reason": "x"}).status_code == 403
    assert db.session.get(PerformancePlan, other.id).status is PlanStatus.SUBMITTED


def test_workflow_through_the_pages(world, login_as):
    plan = _draft(world)
    result = ps.add_result(plan, kind="utama", text="Dataset")
    ps.set_indicator(result, "kuantitas", text="Jumlah", measure="angka", target_value="3", target_unit="dataset")
    db.session.flush()
    pegawai, supervisor = login_as("pegawai"), login_as("supervisor")
    assert pegawai.post(f"/skp/{plan.id}/ajukan", data={"lock_version": plan.lock_version}).status_code == 303
    missing = supervisor.post(f"/skp/{plan.id}/kembalikan", data={"reason": ""})
    assert missing.status_code == 200 and "Alasan pengembalian wajib diisi" in missing.get_data(as_text=True)
    assert supervisor.post(f"/skp/{plan.id}/kembalikan", data={"reason": "Tambah aspek waktu"}).status_code == 303
    page = pegawai.get(f"/skp/{plan.id}").get_data(as_text=True)
    assert "Tambah aspek waktu" in page
    db.session.expire_all()
    plan = db.session.get(PerformancePlan, plan.id)
    pegawai.post(f"/skp/{plan.id}/ajukan", data={"lock_version": plan.lock_version})
    assert supervisor.post(f"/skp/{plan.id}/setujui").status_code == 303
    db.session.expire_all()
    assert db.session.get(PerformancePlan, plan.id).status is PlanStatus.APPROVED
    comment = pegawai.post(f"/skp/{plan.id}/dialog", data={"body": "Terima kasih"}, headers=HX)
    assert comment.status_code == 200 and "Terima kasih" in comment.get_data(as_text=True)


def test_plan_page_queries_do_not_grow(world, login_as, factory):
    s = sample_plan(world)
    client = login_as("pegawai")
    client.get(f"/skp/{s.plan.id}")
    with count_statements() as few:
        client.get(f"/skp/{s.plan.id}")
    for n in range(6):
        result = ResultPlan(kind=s.result.kind, text=f"RHK {n}", intervened_result=s.chief_plan.results[0])
        s.plan.results.append(result)
    s.plan.comments[0].body = "x"
    db.session.flush()
    with count_statements() as many:
        client.get(f"/skp/{s.plan.id}")
    assert len(many) <= len(few)


def test_list_for_bkpsdm_is_searchable_and_scoped_for_admin(world, login_as):
    s = sample_plan(world)
    make_plan(world.staff_b, s.period, PlanStatus.DRAFT)
    page = login_as("bkpsdm").get("/skp/?q=Staf&year=2026&status=approved", headers=HX).get_data(as_text=True)
    assert "Staf Alpha" in page and "Staf Beta" not in page
    admin = login_as("admin_opd").get("/skp/").get_data(as_text=True)
    assert "Staf Alpha" in admin and "Staf Beta" not in admin
    own = login_as("pegawai").get("/skp/").get_data(as_text=True)
    assert "SKP 2026" in own and "SKP pegawai dalam lingkup Anda" not in own


def test_cascade_shows_who_intervenes_what(world, login_as, factory):
    from datetime import date
    period = make_period(date.today().year)
    chief = make_plan(world.chief_a1, period, PlanStatus.APPROVED, results=[("Data mutakhir", []), ("Tak disentuh", [])])
    staff = make_plan(world.staff_a1, period, PlanStatus.DRAFT, results=[("Dataset", [])])
    staff.results[0].intervened_result = chief.results[0]
    lonely = factory.employee(position=factory.position(world.bidang_a1, "Pranata"), supervisor=world.chief_a1,
                              name="Tanpa SKP")
    db.session.flush()
    page = login_as("supervisor").get("/skp/kaskade").get_data(as_text=True)
    assert "Dataset" in page and "Belum diintervensi bawahan" in page and lonely.name in page
