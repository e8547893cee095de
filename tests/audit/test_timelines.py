"""Timelines on the employee profile, the unit page and the account page: for the right people only."""
import re

import pytest

from tests.audit.conftest import main
from tests.conftest import count_statements

TIMELINE = 'id="audit-timeline"'


def _timeline(page):
    return page[page.index(TIMELINE):].split("</section>")[0]


# ---------------------------------------------------------------- employee profile
@pytest.mark.parametrize("role, sees", [
    ("admin_opd", True),     # administers Dinas Alpha, the employee's OPD
    ("bkpsdm", True), ("superadmin", True), ("pimpinan", True),
    ("pegawai", False),      # the employee themself
    ("supervisor", False),   # their supervisor sees details, not the audit trail
])
def test_profile_timeline_for_managers_and_pimpinan(world, login_as, record, role, sees):
    record("update", world.staff_a1, changes={"golongan": ["III/a", "III/b"]}, actor=world.users["bkpsdm"])
    page = main(login_as(role).get(f"/pegawai/{world.staff_a1.id}"))
    assert (TIMELINE in page) is sees
    if sees:
        timeline = _timeline(page)
        assert "Diubah" in timeline and "Petugas BKPSDM" in timeline
        assert re.search(r"Golongan</span>: III/a .*→.* III/b", timeline)


def test_admin_opd_sees_no_timeline_outside_their_scope(world, login_as):
    assert TIMELINE not in main(login_as("admin_opd").get(f"/pegawai/{world.staff_b.id}"))


@pytest.mark.parametrize("role, links", [("bkpsdm", True), ("superadmin", True), ("admin_opd", False),
                                         ("pimpinan", False)])
def test_see_all_and_entry_links_only_for_readers_of_the_log(world, login_as, record, role, links):
    entry = record("update", world.staff_a1, changes={"golongan": ["III/a", "III/b"]})
    timeline = _timeline(main(login_as(role).get(f"/pegawai/{world.staff_a1.id}")))
    see_all = f'href="/audit/?object_type=Employee&amp;object_id={world.staff_a1.id}"'
    assert (see_all in timeline) is links
    assert (f'href="/audit/{entry.id}"' in timeline) is links


def test_profile_timeline_shows_the_latest_twenty_newest_first(world, login_as, record):
    entries = [record("update", world.staff_a1, summary=f"perubahan {i}") for i in range(25)]
    timeline = _timeline(main(login_as("bkpsdm").get(f"/pegawai/{world.staff_a1.id}")))
    shown = [int(i) for i in re.findall(r'data-entry="(\d+)"', timeline)]
    assert shown == [e.id for e in reversed(entries)][:20]


def test_profile_timeline_costs_the_same_statements_however_long(world, login_as, record):
    client = login_as("bkpsdm")
    record("mutasi", world.staff_a1, changes={"org_unit_id": [world.bidang_a1.id, world.dinas_b.id]})
    client.get(f"/pegawai/{world.staff_a1.id}")
    with count_statements() as before:
        client.get(f"/pegawai/{world.staff_a1.id}")
    for unit in [world.dinas_a, world.dinas_b, world.root] * 10:
        record("mutasi", world.staff_a1, changes={"org_unit_id": [world.bidang_a1.id, unit.id]})
    with count_statements() as after:
        client.get(f"/pegawai/{world.staff_a1.id}")
    assert len(after) == len(before)


def test_edit_through_the_form_appears_on_the_profile(world, login_as):
    client = login_as("bkpsdm")
    staff = world.staff_a1
    form = {"kind": "pns", "nip": staff.nip, "name": staff.name, "gender": staff.gender.value,
            "birth_date": staff.birth_date.isoformat(), "civil_status": "pns", "golongan": "III/c",
            "is_active": "y", "email": "staf.alpha@example.go.id"}
    response = client.post(f"/pegawai/{staff.id}/ubah", data=form)
    assert response.status_code == 302
    timeline = _timeline(main(client.get(f"/pegawai/{staff.id}")))
    first = timeline.split("data-entry=")[1]
    assert "Diubah" in first and "Petugas BKPSDM" in first
    assert re.search(r"Golongan</span>: III/a .*→.* III/c", first)
    assert re.search(r"Email dinas</span>: – .*→.* staf.alpha@example.go.id", first)


# ---------------------------------------------------------------- unit page
@pytest.mark.parametrize("role, sees", [("bkpsdm", True), ("superadmin", True), ("pimpinan", True),
                                        ("admin_opd", False), ("pegawai", False)])
def test_unit_timeline_for_its_editors_and_pimpinan(world, login_as, role, sees):
    page = main(login_as(role).get(f"/unit/{world.dinas_a.id}"))
    assert (TIMELINE in page) is sees
    if sees:
        assert "Dibuat" in _timeline(page)  # the factory created the unit through the service


def test_unit_rename_appears_on_the_unit_page(world, login_as):
    client = login_as("bkpsdm")
    response = client.post(f"/unit/{world.dinas_b.id}/ubah",
                           data={"name": "Dinas Beta Baru", "kind": "dinas", "parent": world.root.id})
    assert response.status_code == 302
    timeline = _timeline(main(client.get(f"/unit/{world.dinas_b.id}")))
    assert re.search(r"Nama</span>: Dinas Beta .*→.* Dinas Beta Baru", timeline)


# ---------------------------------------------------------------- account page
def test_account_page_shows_the_shared_timeline(world, login_as):
    client = login_as("superadmin")
    target = world.users["pegawai"]
    assert client.post(f"/akun/{target.id}/peran", data={"role": "pimpinan"}).status_code == 302
    page = main(client.get(f"/akun/pegawai/{world.staff_a1.id}"))
    timeline = _timeline(page)
    assert "Riwayat akun" in timeline
    first = timeline.split("data-entry=")[1]
    assert "Peran diberikan" in first and "Pimpinan" in first and "Admin Uji" in first
    assert f'href="/audit/?object_type=User&amp;object_id={target.id}"' in timeline


def test_account_without_account_has_no_timeline(world, login_as):
    assert TIMELINE not in main(login_as("superadmin").get(f"/akun/pegawai/{world.staff_b.id}"))
