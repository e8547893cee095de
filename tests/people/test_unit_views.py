"""Organisation tree pages: browsing, search, unit maintenance and positions (jabatan)."""
import re

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people.models import OrgUnit, Position, PositionGrade, PositionKind, UnitKind
from tests.conftest import count_statements


def _text(response):
    return response.get_data(as_text=True)


def _main(response):
    """The page's main content (the navigation carries the signed-in user's name)."""
    body = _text(response)
    return body[body.index('<main'):body.index('</main>')]


def _audit(action, obj):
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.object_type == type(obj).__name__,
        AuditEntry.object_id == obj.id)).all()




# ---------------------------------------------------------------- tree and search
def test_tree_shows_nested_units_with_kind_and_counts(world, login_as):
    page = _main(login_as("pegawai").get("/unit/"))
    assert 'class="tree' in page
    # The tree stops at the OPDs: Dinas Alpha (kepala + admin) counts Bidang Alpha Satu (kabid + staf)
    # in its total and links to its own page for the sub-unit.
    alpha = page[page.index("Dinas Alpha"):page.index("Dinas Beta")]
    assert "Bidang Alpha Satu" not in alpha
    assert re.search(r'Dinas Alpha</a>\s*<span[^>]*>· Dinas</span>\s*<span class="badge[^"]*" data-count="2"', alpha)
    assert "4 dengan sub-unit" in alpha
    assert f'href="/unit/{world.dinas_a.id}">1 sub-unit' in alpha
    assert "Tambah unit" not in page


def test_sub_units_are_listed_on_the_unit_page(world, login_as):
    page = _main(login_as("pegawai").get(f"/unit/{world.dinas_a.id}"))
    assert f'href="/unit/{world.bidang_a1.id}"' in page and "Bidang Alpha Satu" in page


@pytest.mark.parametrize("role, sees", [("bkpsdm", True), ("superadmin", True), ("admin_opd", False),
                                        ("pimpinan", False)])
def test_add_unit_button_only_for_managers(world, login_as, role, sees):
    assert ("Tambah unit" in _main(login_as(role).get("/unit/"))) is sees


def test_tree_costs_the_same_number_of_statements_however_many_units(world, login_as, factory):
    client = login_as("pegawai")
    client.get("/unit/")  # warm up (first-request caches)
    with count_statements() as before:
        assert client.get("/unit/").status_code == 200
    for i in range(8):
        unit = factory.unit(f"Kecamatan Uji {i}", UnitKind.KECAMATAN, world.root)
        factory.employee(unit=factory.unit(f"Kelurahan Uji {i}", UnitKind.KELURAHAN, unit))
    db.session.flush()
    with count_statements() as after:
        page = _main(client.get("/unit/"))
    assert "Kecamatan Uji 7" in page
    assert before and len(after) == len(before), f"{len(before)} statements before, {len(after)} after"


def test_inactive_units_are_hidden_except_from_managers(world, login_as, factory):
    closed = factory.unit("Dinas Lama", UnitKind.DINAS, world.root)
    closed.is_active = False
    db.session.flush()
    assert "Dinas Lama" not in _main(login_as("pegawai").get("/unit/"))
    page = _main(login_as("bkpsdm").get("/unit/"))
    assert "Dinas Lama" in page and "Tidak aktif" in page


def test_search_lists_matches_with_their_ancestors(world, login_as):
    page = _main(login_as("pegawai").get("/unit/", query_string={"q": "satu"}))
    assert 'class="tree' not in page
    assert "1 unit cocok" in page and "Bidang Alpha Satu" in page
    assert "Pemerintah Kabupaten Uji › Dinas Alpha" in page
    assert "Dinas Beta" not in page


def test_search_without_matches_shows_empty_state(world, login_as):
    page = _main(login_as("pegawai").get("/unit/", query_string={"q": "tidak-ada-%"}))
    assert "Tidak ada unit yang cocok" in page


def test_search_htmx_returns_only_the_results(world, login_as):
    response = login_as("pegawai").get("/unit/", query_string={"q": "alpha"}, headers={"HX-Request": "true"})
    body = _text(response)
    assert response.status_code == 200
    assert "<html" not in body and 'id="result-count"' in body and "Dinas Alpha" in body
    tree = _text(login_as("pegawai").get("/unit/", headers={"HX-Request": "true"}))
    assert "<html" not in tree and 'class="tree' in tree


# ---------------------------------------------------------------- unit page
def test_unit_page_shows_breadcrumb_children_positions_and_employees(world, login_as, factory):
    factory.employee(position=world.staff_a1.position, name="Staf Alpha Dua")
    page = _main(login_as("pegawai").get(f"/unit/{world.bidang_a1.id}"))
    crumbs = page[page.index('class="breadcrumb"'):page.index("</ol>")]
    assert "Pemerintah Kabupaten Uji" in crumbs and "Dinas Alpha" in crumbs
    assert 'aria-current="page">Bidang Alpha Satu' in crumbs
    assert "Kepala Bidang Alpha Satu" in page and "Kepala unit" in page
    # Two holders of "Analis Data" (pelaksana).
    analis = page[page.index("Analis Data"):]
    assert re.search(r"Pelaksana</td>\s*<td[^>]*>2</td>", analis)
    assert "Staf Alpha" in page and "Kabid Alpha" in page
    assert f'/pegawai/?unit={world.bidang_a1.id}' in page
    assert "Ubah unit" not in page and "Tambah jabatan" not in page


def test_unit_page_lists_children_and_paginates_employees(world, login_as, factory):
    for i in range(27):
        factory.employee(unit=world.dinas_b, name=f"Pegawai Beta {i:02d}")
    client = login_as("pegawai")
    page = _main(client.get(f"/unit/{world.root.id}"))
    assert "Dinas Alpha" in page and "Dinas Beta" in page and "Sekda Uji" in page
    first = _main(client.get(f"/unit/{world.dinas_b.id}"))
    assert 'rel="next"' in first
    second = _main(client.get(f"/unit/{world.dinas_b.id}", query_string={"page": 2}))
    assert "Pegawai Beta" in second and 'rel="prev"' in second
    assert client.get(f"/unit/{world.dinas_b.id}", query_string={"page": "x"}).status_code == 200


def test_unit_page_actions_follow_permissions(world, login_as):
    admin = _main(login_as("admin_opd").get(f"/unit/{world.bidang_a1.id}"))
    assert "Tambah jabatan" in admin and "Ubah unit" not in admin
    assert "Tambah jabatan" not in _main(login_as("admin_opd").get(f"/unit/{world.dinas_b.id}"))
    bkpsdm = _main(login_as("bkpsdm").get(f"/unit/{world.bidang_a1.id}"))
    assert "Ubah unit" in bkpsdm and "Nonaktifkan" in bkpsdm and "data-confirm=" in bkpsdm


def test_unknown_unit_is_404(world, login_as):
    assert login_as("pegawai").get("/unit/999999").status_code == 404


# ---------------------------------------------------------------- create and edit units
def test_bkpsdm_creates_a_unit(world, login_as):
    client = login_as("bkpsdm")
    form = _text(client.get(f"/unit/baru?induk={world.dinas_a.id}"))
    assert re.search(rf'<option selected value="{world.dinas_a.id}">', form)
    response = client.post("/unit/baru", data={"name": "  Bidang   Alpha Dua ", "kind": "bidang",
                                               "parent": world.dinas_a.id})
    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Bidang Alpha Dua"))
    assert unit is not None and unit.parent_id == world.dinas_a.id and unit.kind is UnitKind.BIDANG
    assert unit.path == f"{world.dinas_a.path}{unit.id}/"
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/unit/{unit.id}")
    assert _audit("create", unit)
    assert "sudah ditambahkan" in _text(client.get(response.headers["Location"]))


def test_create_unit_errors_rerender_the_form(world, login_as):
    client = login_as("superadmin")
    response = client.post("/unit/baru", data={"name": "dinas alpha", "kind": "dinas", "parent": world.root.id})
    assert response.status_code == 200 and "Sudah ada unit bernama" in _text(response)
    response = client.post("/unit/baru", data={"name": "", "kind": "", "parent": ""})
    body = _text(response)
    assert response.status_code == 200 and "Nama unit wajib diisi." in body and "Pilih jenis unit." in body
    response = client.post("/unit/baru", data={"name": "Dinas Gamma", "kind": "dinas", "parent": ""})
    assert response.status_code == 200 and "Instansi sudah ada" in _text(response)


@pytest.mark.parametrize("role", ["pegawai", "admin_opd", "pimpinan"])
def test_only_bkpsdm_and_superadmin_maintain_units(world, login_as, role):
    client = login_as(role)
    assert client.get("/unit/baru").status_code == 403
    assert client.post("/unit/baru", data={"name": "X", "kind": "dinas",
                                           "parent": world.root.id}).status_code == 403
    assert client.post(f"/unit/{world.dinas_a.id}/ubah", data={"name": "Y"}).status_code == 403
    assert client.post(f"/unit/{world.dinas_b.id}/nonaktifkan").status_code == 403
    assert db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name.in_(["X", "Y"]))) is None


def test_edit_unit_renames_and_moves_the_subtree(world, login_as, factory):
    seksi = factory.unit("Seksi Satu", UnitKind.SUBBAGIAN, world.bidang_a1)
    db.session.flush()  # create_unit sets the path after its flush; a request sees only flushed rows
    client = login_as("bkpsdm")
    form = _text(client.get(f"/unit/{world.bidang_a1.id}/ubah"))
    assert 'value="Bidang Alpha Satu"' in form
    # Its own subtree is not offered as a new parent.
    assert f'value="{seksi.id}"' not in form and f'value="{world.dinas_b.id}"' in form
    response = client.post(f"/unit/{world.bidang_a1.id}/ubah", data={
        "name": "Bidang Beta Satu", "kind": "bidang", "parent": world.dinas_b.id})
    assert response.status_code == 302
    db.session.expire_all()
    bidang = db.session.get(OrgUnit, world.bidang_a1.id)
    assert bidang.name == "Bidang Beta Satu" and bidang.parent_id == world.dinas_b.id
    assert db.session.get(OrgUnit, seksi.id).path == f"{world.dinas_b.path}{bidang.id}/{seksi.id}/"
    assert _audit("update", bidang)[-1].changes["parent_id"] == [world.dinas_a.id, world.dinas_b.id]


def test_edit_unit_refuses_moving_under_itself(world, login_as):
    client = login_as("superadmin")
    response = client.post(f"/unit/{world.dinas_a.id}/ubah", data={
        "name": "Dinas Alpha", "kind": "dinas", "parent": world.bidang_a1.id})
    assert response.status_code == 200 and "is-invalid" in _text(response)
    db.session.expire_all()
    assert db.session.get(OrgUnit, world.dinas_a.id).parent_id == world.root.id


def test_edit_root_keeps_it_at_the_top(world, login_as):
    client = login_as("superadmin")
    form = _text(client.get(f"/unit/{world.root.id}/ubah"))
    assert "puncak pohon organisasi" in form
    response = client.post(f"/unit/{world.root.id}/ubah", data={
        "name": "Pemerintah Kabupaten Contoh", "kind": "instansi", "parent": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OrgUnit, world.root.id).name == "Pemerintah Kabupaten Contoh"


def test_deactivate_is_refused_while_the_unit_has_employees(world, login_as):
    client = login_as("bkpsdm")
    response = client.post(f"/unit/{world.bidang_a1.id}/nonaktifkan")
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "tidak dapat dinonaktifkan" in page and "2 pegawai aktif" in page
    db.session.expire_all()
    assert db.session.get(OrgUnit, world.bidang_a1.id).is_active


def test_deactivate_is_refused_while_the_unit_has_active_sub_units(world, login_as, factory):
    parent = factory.unit("Dinas Kosong", UnitKind.DINAS, world.root)
    factory.unit("Bidang Kosong", UnitKind.BIDANG, parent)
    db.session.flush()
    client = login_as("bkpsdm")
    page = _text(client.post(f"/unit/{parent.id}/nonaktifkan", follow_redirects=True))
    assert "1 sub-unit aktif" in page
    assert client.post(f"/unit/{world.root.id}/nonaktifkan", follow_redirects=True).status_code == 200
    db.session.expire_all()
    assert db.session.get(OrgUnit, world.root.id).is_active


def test_deactivate_and_reactivate_an_empty_unit(world, login_as, factory):
    empty = factory.unit("Bidang Kosong", UnitKind.BIDANG, world.dinas_b)
    db.session.flush()
    client = login_as("bkpsdm")
    page = _text(client.post(f"/unit/{empty.id}/nonaktifkan", follow_redirects=True))
    assert "sudah dinonaktifkan" in page and "Aktifkan kembali" in page
    db.session.expire_all()
    assert not db.session.get(OrgUnit, empty.id).is_active
    assert _audit("deactivate", empty)
    client.post(f"/unit/{empty.id}/aktifkan")
    db.session.expire_all()
    assert db.session.get(OrgUnit, empty.id).is_active and _audit("activate", empty)


# ---------------------------------------------------------------- positions
def test_admin_opd_adds_a_position_in_scope(world, login_as):
    client = login_as("admin_opd")
    assert client.get(f"/unit/{world.bidang_a1.id}/jabatan/baru").status_code == 200
    response = client.post(f"/unit/{world.bidang_a1.id}/jabatan/baru", data={
        "name": "Pranata Komputer Ahli Muda", "kind": "fungsional_keahlian", "grade": "ahli_muda"})
    assert response.status_code == 302
    position = db.session.scalar(sa.select(Position).where(Position.name == "Pranata Komputer Ahli Muda"))
    assert position.org_unit_id == world.bidang_a1.id and position.grade is PositionGrade.AHLI_MUDA
    assert not position.is_head and _audit("create", position)


def test_admin_opd_cannot_touch_positions_outside_their_subtree(world, login_as):
    client = login_as("admin_opd")
    beta_position = world.staff_b.position
    assert client.get(f"/unit/{world.dinas_b.id}/jabatan/baru").status_code == 403
    assert client.post(f"/unit/{world.dinas_b.id}/jabatan/baru", data={
        "name": "Penyusup", "kind": "pelaksana"}).status_code == 403
    assert client.post(f"/unit/{world.dinas_b.id}/jabatan/{beta_position.id}/ubah", data={
        "name": "Diubah", "kind": "pelaksana"}).status_code == 403
    assert db.session.scalar(sa.select(Position).where(Position.name.in_(["Penyusup", "Diubah"]))) is None


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "pimpinan"])
def test_other_roles_cannot_manage_positions(world, login_as, role):
    assert login_as(role).get(f"/unit/{world.bidang_a1.id}/jabatan/baru").status_code == 403


@pytest.mark.parametrize("data, message", [
    ({"name": "Analis Kebijakan", "kind": "fungsional_keahlian", "grade": ""}, "memerlukan jenjang Ahli"),
    ({"name": "Analis Kebijakan", "kind": "fungsional_keahlian", "grade": "terampil"}, "memerlukan jenjang Ahli"),
    ({"name": "Pengelola Arsip", "kind": "fungsional_keterampilan", "grade": "ahli_muda"}, "memerlukan jenjang Pemula"),
    ({"name": "Pengadministrasi", "kind": "pelaksana", "grade": "pemula"}, "hanya diisi untuk jabatan fungsional"),
    ({"name": "analis data", "kind": "pelaksana", "grade": ""}, "sudah ada di unit ini"),
    ({"name": "Kepala Kedua", "kind": "administrator", "is_head": "y"}, "sudah memiliki jabatan kepala"),
    ({"name": "", "kind": ""}, "Nama jabatan wajib diisi."),
])
def test_position_form_errors(world, login_as, data, message):
    client = login_as("bkpsdm")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Position))
    response = client.post(f"/unit/{world.bidang_a1.id}/jabatan/baru", data=data)
    assert response.status_code == 200 and message in _text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == before


def test_edit_position(world, login_as):
    position = world.staff_a1.position
    client = login_as("admin_opd")
    url = f"/unit/{world.bidang_a1.id}/jabatan/{position.id}/ubah"
    assert 'value="Analis Data"' in _text(client.get(url))
    response = client.post(url, data={"name": "Analis Data Kepegawaian", "kind": "fungsional_keterampilan",
                                      "grade": "mahir"})
    assert response.status_code == 302
    db.session.expire_all()
    position = db.session.get(Position, position.id)
    assert position.name == "Analis Data Kepegawaian" and position.kind is PositionKind.FUNGSIONAL_KETERAMPILAN
    assert _audit("update", position)[-1].changes["grade"] == [None, "mahir"]
    # Unchanged: no audit entry, an "info" message.
    page = _text(client.post(url, data={"name": "Analis Data Kepegawaian", "kind": "fungsional_keterampilan",
                                        "grade": "mahir"}, follow_redirects=True))
    assert "Tidak ada perubahan." in page and len(_audit("update", position)) == 1


def test_edit_position_of_another_unit_is_404(world, login_as):
    assert login_as("bkpsdm").get(
        f"/unit/{world.dinas_a.id}/jabatan/{world.staff_b.position_id}/ubah").status_code == 404
