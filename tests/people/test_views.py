"""Directory, profile and the administrators' employee forms."""
import re
from datetime import date

import sqlalchemy as sa

from portal.extensions import db
from portal.people.models import Employee, EmployeeAssignment
from tests.factories import make_nip


def _text(response):
    return response.get_data(as_text=True)


def _results(response):
    """Only the directory results (the signed-in user's own name is in the navigation)."""
    body = _text(response)
    return body[body.index('id="result-count"'):].split("</table>")[0]


def test_directory_lists_and_searches(world, login_as):
    client = login_as("pegawai")
    page = _results(client.get("/pegawai/"))
    assert "Staf Alpha" in page and "Staf Beta" in page
    found = _results(client.get("/pegawai/", query_string={"q": "beta"}))
    assert "Staf Beta" in found and "Staf Alpha" not in found


def test_directory_search_by_grouped_nip(world, login_as):
    nip = world.staff_b.nip
    page = _results(login_as("pegawai").get("/pegawai/", query_string={"q": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"}))
    assert "Staf Beta" in page and "Staf Alpha" not in page


def test_directory_htmx_returns_only_results(world, login_as):
    response = login_as("pegawai").get("/pegawai/", query_string={"q": "alpha"}, headers={"HX-Request": "true"})
    body = _text(response)
    assert "<html" not in body and 'id="result-count"' in body and "Staf Alpha" in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_directory_unit_filter_includes_subtree(world, login_as):
    page = _results(login_as("pegawai").get("/pegawai/", query_string={"unit": world.dinas_a.id}))
    assert "Staf Alpha" in page and "Kabid Alpha" in page and "Staf Beta" not in page


def test_directory_filters_by_golongan_and_jenis(world, login_as):
    client = login_as("pegawai")
    assert "Staf Beta" in _text(client.get("/pegawai/", query_string={"golongan": "II/c"}))
    page = _results(client.get("/pegawai/", query_string={"jenis": "jpt_pratama"}))
    assert "Kepala Alpha" in page and "Staf Alpha" not in page


def test_directory_empty_state_and_bad_page(world, login_as):
    client = login_as("pegawai")
    page = _text(client.get("/pegawai/", query_string={"q": "tidak-ada-nama-ini"}))
    assert "Tidak ada pegawai yang cocok" in page
    assert client.get("/pegawai/", query_string={"page": "abc"}).status_code == 200
    assert client.get("/pegawai/", query_string={"page": "9999"}).status_code == 200
    assert client.get("/pegawai/", query_string={"unit": "abc"}).status_code == 200


def test_directory_paginates(world, login_as, factory, app):
    for i in range(30):
        factory.employee(unit=world.dinas_b, name=f"Zulfikar {i:02d}")
    client = login_as("pegawai")
    first = _text(client.get("/pegawai/", query_string={"q": "zulfikar"}))
    assert "30 pegawai ditemukan" in first and "halaman 1 dari 2" in first
    assert 'rel="next"' in first
    second = _text(client.get("/pegawai/", query_string={"q": "zulfikar", "page": 2}))
    assert second.count("Zulfikar ") == 5


def test_directory_escapes_user_data(world, login_as, factory):
    factory.employee(unit=world.dinas_b, name="<script>alert(1)</script>")
    page = _text(login_as("pegawai").get("/pegawai/", query_string={"q": "script"}))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_profile_details_follow_permissions(world, login_as):
    url = f"/pegawai/{world.chief_a1.id}"
    as_staff = _text(login_as("pegawai").get(url))
    assert "Kabid Alpha" in as_staff and "Data pribadi" not in as_staff
    as_self = _text(login_as("supervisor").get(url))
    assert "Data pribadi" in as_self and "Staf Alpha" in as_self  # subordinates listed
    assert "Riwayat penempatan" in as_self
    assert "Ubah data" not in as_self


def test_profile_404(world, login_as):
    assert login_as("pegawai").get("/pegawai/999999").status_code == 404


def _form(employee, **changes):
    data = {"kind": employee.kind.value, "nip": employee.nip, "gelar_depan": employee.gelar_depan,
            "name": employee.name, "gelar_belakang": employee.gelar_belakang, "gender": employee.gender.value,
            "birth_date": employee.birth_date.isoformat(), "tmt_date": "", "civil_status": "pns",
            "golongan": employee.golongan or "", "email": "", "phone": "", "is_active": "y"}
    data.update(changes)
    return data


def test_admin_edits_employee_in_scope(world, login_as):
    client = login_as("admin_opd")
    response = client.post(f"/pegawai/{world.staff_a1.id}/ubah",
                           data=_form(world.staff_a1, gelar_belakang="S.Kom.", email="staf@contoh.go.id"))
    assert response.status_code == 302
    db.session.expire_all()
    employee = db.session.get(Employee, world.staff_a1.id)
    assert employee.gelar_belakang == "S.Kom." and employee.display_name == "Staf Alpha, S.Kom."


def test_admin_cannot_edit_outside_scope(world, login_as):
    client = login_as("admin_opd")
    assert client.get(f"/pegawai/{world.staff_b.id}/ubah").status_code == 403
    assert client.post(f"/pegawai/{world.staff_b.id}/ubah", data=_form(world.staff_b)).status_code == 403


def test_edit_form_keeps_input_on_error(world, login_as):
    client = login_as("bkpsdm")
    response = client.post(f"/pegawai/{world.staff_a1.id}/ubah",
                           data=_form(world.staff_a1, birth_date="1999-01-01", phone="0812 3456 789"))
    page = _text(response)
    assert response.status_code == 200
    assert "tidak sesuai dengan NIP" in page
    assert 'value="0812 3456 789"' in page


def test_new_employee(world, login_as):
    client = login_as("admin_opd")
    nip = make_nip(birth=date(1995, 7, 1), tmt=(2020, 1), gender="2")
    position = world.staff_a1.position
    data = {"kind": "pns", "nip": nip, "name": "Dewi Lestari", "gender": "P", "birth_date": "1995-07-01",
            "civil_status": "pns", "golongan": "III/a", "org_unit": world.bidang_a1.id,
            "position": position.id, "supervisor_nip": world.chief_a1.nip, "is_active": "y"}
    response = client.post("/pegawai/baru", data=data)
    assert response.status_code == 302, _text(response)
    employee = db.session.scalar(sa.select(Employee).where(Employee.nip == nip))
    assert employee.supervisor_id == world.chief_a1.id and employee.org_unit_id == world.bidang_a1.id


def test_new_employee_bad_supervisor_and_out_of_scope_unit(world, login_as):
    client = login_as("admin_opd")
    nip = make_nip(birth=date(1995, 7, 1), tmt=(2020, 1), gender="2")
    data = {"kind": "pns", "nip": nip, "name": "Dewi", "gender": "P", "birth_date": "1995-07-01",
            "org_unit": world.bidang_a1.id, "position": world.staff_a1.position_id,
            "supervisor_nip": "199001012015011999", "is_active": "y"}
    page = _text(client.post("/pegawai/baru", data=data))
    assert "Tidak ada pegawai dengan NIP" in page
    data.update(org_unit=world.dinas_b.id, position=world.staff_b.position_id, supervisor_nip="")
    response = client.post("/pegawai/baru", data=data)
    assert response.status_code == 200 and "Not a valid choice" not in _text(response)
    assert db.session.scalar(sa.select(Employee).where(Employee.nip == nip)) is None


def test_position_list_follows_unit_with_htmx(world, login_as):
    response = login_as("bkpsdm").get("/pegawai/baru", query_string={"org_unit": world.dinas_b.id},
                                      headers={"HX-Request": "true"})
    body = _text(response)
    assert 'id="position-field"' in body and world.staff_b.position.name in body


def test_transfer_and_supervisor_change_keep_history(world, login_as):
    client = login_as("bkpsdm")
    today = date.today().isoformat()
    response = client.post(f"/pegawai/{world.staff_a1.id}/mutasi", data={
        "org_unit": world.dinas_b.id, "position": world.staff_b.position_id, "supervisor_nip": "",
        "start_date": today, "note": "SK Bupati 1/2026"})
    assert response.status_code == 302, _text(response)
    response = client.post(f"/pegawai/{world.staff_a1.id}/atasan", data={
        "supervisor_nip": world.head_a.nip, "start_date": today})
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(EmployeeAssignment).where(
        EmployeeAssignment.employee_id == world.staff_a1.id).order_by(EmployeeAssignment.id)).all()
    assert [r.reason.value for r in rows] == ["awal", "mutasi", "ganti_atasan"]
    assert rows[0].org_unit_id == world.bidang_a1.id  # history not rewritten
    page = _text(client.get(f"/pegawai/{world.staff_a1.id}"))
    assert "SK Bupati 1/2026" in page and "Mutasi" in page


def test_supervisor_cycle_is_a_form_error(world, login_as):
    response = login_as("bkpsdm").post(f"/pegawai/{world.head_a.id}/atasan", data={
        "supervisor_nip": world.staff_a1.nip, "start_date": date.today().isoformat()})
    assert response.status_code == 200 and "melingkar" in _text(response)


def test_csrf_enforced_on_forms(app, world):
    from tests.factories import PASSWORD
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/masuk", data={"login": "superadmin", "password": PASSWORD})
        assert response.status_code == 400 and "Token keamanan formulir" in _text(response)
        page = _text(client.get("/masuk"))
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/masuk", data={"login": "superadmin", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        assert client.post("/keluar").status_code == 400  # no token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_directory_ignores_unknown_filter_values(world, login_as):
    client = login_as("pegawai")
    for query in ({"jenis": "0"}, {"jenis": "<x>"}, {"golongan": "ZZ"}, {"unit": "-5"}):
        assert client.get("/pegawai/", query_string=query).status_code == 200
