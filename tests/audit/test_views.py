"""The audit log pages: who may read them, filters, htmx, keyset pagination, how entries read."""
import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.audit.conftest import entry_ids, main, text
from tests.conftest import count_statements


def _log(client, **query):
    return client.get("/audit/", query_string=query)


# ---------------------------------------------------------------- access
@pytest.mark.parametrize("role, status", [("pegawai", 403), ("supervisor", 403), ("admin_opd", 403),
                                          ("pimpinan", 403), ("bkpsdm", 200), ("superadmin", 200)])
def test_only_bkpsdm_and_superadmin_read_the_log(world, login_as, record, role, status):
    entry = record("update", world.staff_a1, changes={"golongan": ["III/a", "III/b"]})
    client = login_as(role)
    assert client.get("/audit/").status_code == status
    assert client.get(f"/audit/{entry.id}").status_code == status


def test_anonymous_is_sent_to_sign_in(world, login_as):
    response = login_as(None).get("/audit/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_log_lists_newest_first_with_the_entry_parts(world, login_as, record):
    actor = world.users["bkpsdm"]
    entry = record("update", world.staff_a1, actor=actor, changes={"golongan": ["III/a", "III/b"]},
                   summary="koreksi data")
    newer = record("deactivate", world.dinas_b, actor=actor, from_state="active", to_state="inactive")
    response = login_as("bkpsdm").get("/audit/")
    ids = entry_ids(response)
    assert ids.index(newer.id) < ids.index(entry.id) and ids == sorted(ids, reverse=True)
    row = main(response).split(f'data-entry="{entry.id}"')[1].split("</tr>")[0]
    assert "Petugas BKPSDM" in row                                         # who
    assert f'href="/pegawai/{world.staff_a1.id}">Staf Alpha</a>' in row    # what, linked
    assert "Diubah" in row                                                 # action title
    assert re.search(r'Golongan</span>: III/a <span aria-hidden="true">→</span>.*III/b', row)
    assert "koreksi data" in row
    state = main(response).split(f'data-entry="{newer.id}"')[1].split("</tr>")[0]
    assert "Dinonaktifkan" in state and re.search(r"Aktif .*→.* Tidak aktif", state)


def test_times_are_local(world, login_as, record):
    record("update", world.staff_a1, created_dt=datetime(2024, 3, 10, 18, 30))  # 01:30 WIB next day
    assert "11 Mar 2024 01.30" in main(_log(login_as("bkpsdm"), object_type="Employee",
                                            object_id=world.staff_a1.id)).replace(":", ".")


def test_values_are_named_titled_and_labelled(world, login_as, record):
    record("mutasi", world.staff_a1, changes={"org_unit_id": [world.bidang_a1.id, world.dinas_b.id],
                                              "supervisor_id": [world.chief_a1.id, None]})
    record("update", world.staff_a1, changes={"gender": ["L", "P"], "birth_date": ["1985-04-12", "1985-04-13"],
                                              "is_active": [True, False]})
    page = main(_log(login_as("bkpsdm"), object_type="Employee", object_id=world.staff_a1.id))
    assert re.search(r"Unit kerja</span>: Bidang Alpha Satu .*→.* Dinas Beta</li>", page)
    assert re.search(r"Atasan langsung</span>: Kabid Alpha .*→.* –</li>", page)
    assert re.search(r"Jenis kelamin</span>: Laki-laki .*→.* Perempuan", page)
    assert re.search(r"Tanggal lahir</span>: 12 Apr 1985 .*→.* 13 Apr 1985", page)
    assert re.search(r"Aktif</span>: Ya .*→.* Tidak", page)
    assert "Mutasi" in page


def test_import_counts_read_as_plain_values(world, login_as, record):
    record("preview_import", object_type="ImportBatch", object_id=999,
           changes={"counts": {"new": 2, "rejected": 0}, "new_units": ["Unit Satu", "Unit Dua"]})
    page = main(_log(login_as("bkpsdm"), action="preview_import"))
    assert "Jumlah baris</span>: Baru: 2, Ditolak: 0" in page
    assert "Unit kerja baru</span>: Unit Satu, Unit Dua" in page  # not read as "Unit Satu → Unit Dua"
    assert "Pratinjau impor" in page


def test_object_links_only_where_the_reader_may_go(world, login_as, record):
    record("grant_role", world.users["pegawai"], to_state="pimpinan", changes={"org_unit_id": [None, None]})
    query = {"object_type": "User", "object_id": world.users["pegawai"].id}
    link = f'href="/akun/{world.users["pegawai"].id}"'
    assert link in main(_log(login_as("superadmin"), **query))
    bkpsdm = main(_log(login_as("bkpsdm"), **query))
    assert link not in bkpsdm and "Staf Alpha" in bkpsdm and "Peran diberikan" in bkpsdm
    assert "Unit kerja</span>" not in bkpsdm  # a recorded [None, None] is no change worth a line


def test_gone_objects_are_not_linked(world, login_as, record):
    record("update", object_type="Employee", object_id=987654321, changes={"name": ["a", "b"]})
    page = main(_log(login_as("bkpsdm"), object_type="Employee", object_id=987654321))
    assert "#987654321" in page and 'href="/pegawai/987654321"' not in page


# ---------------------------------------------------------------- filters
def test_filter_by_actor_nip_or_username(world, login_as, record):
    by_bkpsdm = record("update", world.staff_a1, actor=world.users["bkpsdm"])
    by_super = record("update", world.staff_b, actor=world.users["superadmin"])
    client = login_as("bkpsdm")
    nip = world.users["bkpsdm"].employee.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    found = entry_ids(_log(client, actor=grouped))
    assert by_bkpsdm.id in found and by_super.id not in found
    found = entry_ids(_log(client, actor="SuperAdmin"))
    assert by_super.id in found and by_bkpsdm.id not in found
    assert entry_ids(_log(client, actor="tidak-ada")) == []


def test_filter_by_object_type_and_id(world, login_as, record):
    staff = record("update", world.staff_a1)
    other = record("update", world.staff_b)
    unit = record("update", world.dinas_a)
    client = login_as("bkpsdm")
    employees = entry_ids(_log(client, object_type="Employee"))
    assert staff.id in employees and other.id in employees and unit.id not in employees
    assert set(entry_ids(_log(client, object_type="Employee", object_id=world.staff_a1.id))) >= {staff.id}
    assert other.id not in entry_ids(_log(client, object_type="Employee", object_id=world.staff_a1.id))


def test_object_id_needs_a_type(world, login_as, record):
    record("update", world.staff_a1)
    page = main(_log(login_as("bkpsdm"), object_id=world.staff_a1.id))
    assert 'id="filter-errors"' in page and "Pilih jenis objek" in page
    assert entry_ids(_log(login_as("bkpsdm"), object_id=world.staff_a1.id))  # the id is ignored, not fatal


def test_filter_by_action(world, login_as, record):
    moved = record("mutasi", world.staff_a1)
    edited = record("update", world.staff_a1)
    found = entry_ids(_log(login_as("bkpsdm"), action="mutasi"))
    assert moved.id in found and edited.id not in found


def test_filter_by_local_date_range(world, login_as, record):
    late = record("update", world.staff_a1, created_dt=datetime(2024, 3, 10, 18, 30))   # 11 Mar, 01:30 WIB
    early = record("update", world.staff_a1, created_dt=datetime(2024, 3, 10, 2, 0))    # 10 Mar, 09:00 WIB
    client = login_as("bkpsdm")
    assert set(entry_ids(_log(client, date_from="2024-03-11", date_to="2024-03-11"))) == {late.id}
    assert set(entry_ids(_log(client, date_from="2024-03-10", date_to="2024-03-10"))) == {early.id}
    assert set(entry_ids(_log(client, date_to="2024-03-10"))) == {early.id}
    assert late.id not in entry_ids(_log(client, date_from="2024-03-12"))


def test_date_range_in_the_wrong_order_is_reported(world, login_as):
    page = main(_log(login_as("bkpsdm"), date_from="2024-03-12", date_to="2024-03-01"))
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page


@pytest.mark.parametrize("query", [{"date_from": "bukan-tanggal"}, {"object_id": "abc"},
                                   {"object_id": "-4", "object_type": "Employee"},
                                   {"object_type": "<script>"}, {"action": "x" * 500},
                                   {"sebelum": "garbage"}, {"sesudah": "1.2.3"}, {"actor": "x" * 500},
                                   {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
                                   {"sebelum": "20240101000000000000." + "9" * 30},
                                   {"sesudah": "99991231235959999999.1"}])
def test_bad_filters_never_fail(world, login_as, query):
    response = _log(login_as("bkpsdm"), **query)
    assert response.status_code == 200
    assert "<script>" not in main(response)


def test_unlisted_object_type_still_filters(world, login_as, record):
    entry = record("update", object_type="Rencana", object_id=5)
    response = _log(login_as("bkpsdm"), object_type="Rencana", object_id=5)
    assert entry_ids(response) == [entry.id]
    assert '<option selected value="Rencana">Rencana</option>' in main(response)


def test_filter_select_lists_the_known_types_and_actions(world, login_as):
    page = main(login_as("bkpsdm").get("/audit/"))
    for value, title in [("Employee", "Pegawai"), ("OrgUnit", "Unit kerja"), ("User", "Akun"),
                         ("ImportBatch", "Impor SIASN")]:
        assert f'<option value="{value}">{title}</option>' in page
    assert '<option value="mutasi">Mutasi</option>' in page


def test_htmx_request_returns_only_the_results(world, login_as, record):
    entry = record("update", world.staff_a1)
    response = login_as("bkpsdm").get("/audit/", query_string={"action": "update"},
                                      headers={"HX-Request": "true"})
    body = text(response)
    assert "<html" not in body and "<form" not in body and f'data-entry="{entry.id}"' in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_filter_form_updates_the_results_live(world, login_as):
    page = main(login_as("bkpsdm").get("/audit/"))
    form = page[page.index("<form"):page.index("</form>")]
    assert 'method="get"' in form and 'data-hx-get="/audit/"' in form and 'data-hx-target="#results"' in form
    assert 'data-hx-push-url="true"' in form


# ---------------------------------------------------------------- pagination
def _many(record, employee, n, start=datetime(2024, 1, 1)):
    # Equal timestamps in pairs: the id breaks the tie (MariaDB keeps whole seconds only).
    return [record("update", employee, created_dt=start + timedelta(seconds=i // 2),
                   changes={"golongan": ["III/a", "III/b"]}) for i in range(n)]


def test_keyset_pages_forward_and_back(world, login_as, record, app):
    entries = _many(record, world.staff_b, 60)
    query = {"object_type": "Employee", "object_id": world.staff_b.id}
    client = login_as("bkpsdm")
    per_page = app.config["PER_PAGE"]
    seen, pages, response = [], [], _log(client, **query)
    while True:
        ids = entry_ids(response)
        pages.append(ids)
        seen.extend(ids)
        older = re.search(r'href="([^"]+)" rel="next"', text(response))
        if not older:
            break
        response = client.get(older.group(1).replace("&amp;", "&"))
    # The employee's "create" entry is the newest; the others are older, pairwise simultaneous.
    expected = [_create_entry_id(world.staff_b)] + sorted((e.id for e in entries), reverse=True)
    assert seen == expected                      # every entry once, newest first
    assert [len(p) for p in pages[:-1]] == [per_page] * (len(pages) - 1)
    assert "Sebelumnya" in text(response) and 'rel="prev"' in text(response)
    # back again: "Sebelumnya" shows the page before, and the first page has no "Sebelumnya" link
    for expected_page in reversed(pages[:-1]):
        newer = re.search(r'href="([^"]+)" rel="prev"', text(response))
        response = client.get(newer.group(1).replace("&amp;", "&"))
        assert entry_ids(response) == expected_page
    assert 'rel="prev"' not in text(response)


def _create_entry_id(employee):
    return db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.object_type == "Employee", AuditEntry.object_id == employee.id, AuditEntry.action == "create"))


def test_pages_keep_the_filters(world, login_as, record):
    _many(record, world.staff_b, 30)
    response = _log(login_as("bkpsdm"), object_type="Employee", object_id=world.staff_b.id, action="update")
    link = re.search(r'href="([^"]+)" rel="next"', text(response)).group(1)
    assert "object_type=Employee" in link and f"object_id={world.staff_b.id}" in link and "action=update" in link


def test_a_page_costs_the_same_statements_however_many_entries(world, login_as, record):
    """No COUNT(*), and one query per referenced table, not per row."""
    units = [world.dinas_a, world.dinas_b, world.bidang_a1, world.root]
    employees = [world.staff_a1, world.staff_b, world.chief_a1]

    def add(n):
        for i in range(n):
            record("mutasi", employees[i % 3], actor=world.users["bkpsdm"],
                   changes={"org_unit_id": [units[i % 4].id, units[(i + 1) % 4].id]})
            record("grant_role", world.users["supervisor"], to_state="pimpinan",
                   changes={"org_unit_id": [None, units[i % 4].id]})

    add(13)  # a full first page of the same kinds of entries
    client = login_as("superadmin")
    client.get("/audit/")  # warm up (the signed-in user, translations)
    with count_statements() as before:
        assert client.get("/audit/").status_code == 200
    add(50)
    with count_statements() as after:
        assert client.get("/audit/").status_code == 200
    assert len(after) == len(before), f"{len(before)} statements before, {len(after)} after"
    assert not [s for s in after if "count(" in s.lower() and "audit_entry" in s]


# ---------------------------------------------------------------- escaping and the entry page
def test_values_are_escaped(world, login_as, record):
    entry = record("update", world.staff_a1, summary="<b>tebal</b>",
                   changes={"name": ["<script>alert(1)</script>", "Aman"], "<img src=x>": "<i>x</i>"})
    client = login_as("bkpsdm")
    for page in (main(_log(client, object_type="Employee", object_id=world.staff_a1.id)),
                 main(client.get(f"/audit/{entry.id}"))):
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>tebal</b>" not in page and "&lt;b&gt;tebal&lt;/b&gt;" in page
        assert "<img src=x>" not in page and "<i>x</i>" not in page


def test_long_values_are_cut_in_the_list_and_whole_on_the_entry_page(world, login_as, record):
    long = "panjang " * 40
    entry = record("update", world.staff_a1, changes={"name": ["pendek", long.strip()]})
    client = login_as("bkpsdm")
    listed = main(_log(client, object_type="Employee", object_id=world.staff_a1.id))
    assert long.strip() not in listed and "…" in listed
    assert long.strip() in main(client.get(f"/audit/{entry.id}"))


def test_entry_page_shows_everything_recorded(world, login_as, record):
    entry = record("mutasi", world.staff_a1, actor=world.users["bkpsdm"], summary="SK 821/12",
                   changes={"org_unit_id": [world.bidang_a1.id, world.dinas_b.id]})
    page = main(login_as("superadmin").get(f"/audit/{entry.id}"))
    assert f"Entri jejak audit #{entry.id}" in page
    assert "Petugas BKPSDM" in page and "SK 821/12" in page and "Mutasi" in page and "<code" in page
    assert "WIB" in page                                            # local time with its zone
    assert re.search(r"Bidang Alpha Satu .*→.* Dinas Beta", page)
    pretty = json.dumps(entry.changes, indent=2, sort_keys=True)
    assert pretty.replace('"', "&#34;") in page or pretty.replace('"', "&quot;") in page
    assert (f'href="/audit/?object_type=Employee&amp;object_id={world.staff_a1.id}"' in page)


def test_missing_entry_is_404(world, login_as):
    assert login_as("bkpsdm").get("/audit/999999999").status_code == 404


def test_navigation_shows_the_log_to_its_readers(world, login_as):
    for role, sees in [("bkpsdm", True), ("superadmin", True), ("pimpinan", False), ("admin_opd", False)]:
        assert ('href="/audit/"' in text(login_as(role).get("/"))) is sees


def test_log_and_entry_render_in_english(world, login_as, record):
    entry = record("mutasi", world.staff_a1, changes={"org_unit_id": [world.bidang_a1.id, world.dinas_b.id]})
    client = login_as("bkpsdm")
    client.set_cookie("capaian_lang", "en")
    for url in ("/audit/", f"/audit/{entry.id}", f"/pegawai/{world.staff_a1.id}"):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="en">' in text(response)
    assert "Transfer" in main(client.get("/audit/", query_string={"action": "mutasi"}))
