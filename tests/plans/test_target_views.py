"""Perjanjian Kinerja items: admin OPD of the unit and BKPSDM edit; others are refused."""
import sqlalchemy as sa

from portal.extensions import db
from portal.plans.models import OrgTarget, PlanStatus
from tests.plans.sample import make_period, make_plan, sample_plan


def test_admin_opd_adds_edits_and_deletes_items(world, login_as):
    period = make_period(2026)
    client = login_as("admin_opd")
    page = client.get(f"/perjanjian-kinerja/?unit={world.dinas_a.id}&year=2026").get_data(as_text=True)
    assert "Dinas Alpha" in page and "Tambah butir" in page
    empty = client.post(f"/perjanjian-kinerja/baru?unit={world.dinas_a.id}&year=2026", data={"goal": ""})
    assert empty.status_code == 200 and "Sasaran strategis wajib diisi" in empty.get_data(as_text=True)
    saved = client.post(f"/perjanjian-kinerja/baru?unit={world.dinas_a.id}&year=2026", data={
        "goal": "Meningkatnya layanan", "indicator": "Indeks kepuasan", "target": "85"})
    assert saved.status_code == 303
    item = db.session.scalar(sa.select(OrgTarget).where(OrgTarget.period_id == period.id))
    assert client.post(f"/perjanjian-kinerja/{item.id}/ubah", data={
        "goal": "Layanan prima", "indicator": "IKM", "target": "88"}).status_code == 303
    db.session.expire_all()
    assert item.goal == "Layanan prima"
    # the head of the OPD intervenes it: deleting is refused
    head_plan = make_plan(world.head_a, period, PlanStatus.DRAFT, results=[("Layanan", [])])
    head_plan.results[0].org_target = item
    db.session.flush()
    refused = client.post(f"/perjanjian-kinerja/{item.id}/hapus", follow_redirects=True)
    assert "diintervensi oleh 1 RHK" in refused.get_data(as_text=True)
    head_plan.results[0].org_target = None
    db.session.flush()
    item_id = item.id
    assert client.post(f"/perjanjian-kinerja/{item_id}/hapus").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(sa.select(OrgTarget).where(OrgTarget.id == item_id)) is None


def test_admin_of_another_unit_is_refused(world, login_as):
    make_period(2026)
    client = login_as("admin_opd")
    assert client.get(f"/perjanjian-kinerja/baru?unit={world.dinas_b.id}&year=2026").status_code == 403
    other = OrgTarget(org_unit=world.dinas_b, period=make_period(2026), goal="g", indicator="i", target="1")
    db.session.add(other)
    db.session.flush()
    assert client.post(f"/perjanjian-kinerja/{other.id}/hapus").status_code == 403
    assert login_as("pegawai").get("/perjanjian-kinerja/").status_code == 403
    s = sample_plan(world)
    page = login_as("pimpinan").get(f"/perjanjian-kinerja/?unit={world.dinas_a.id}&year=2026").get_data(as_text=True)
    assert s.org_target.goal in page and "Tambah butir" not in page
