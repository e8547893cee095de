"""The SIASN import journey in a browser: upload, preview with rejected rows, fix, commit."""
import csv
import re

from playwright.sync_api import expect

from portal.people.models import Employee
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in
from tests.factories import make_nip

HEADER = ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai",
          "gol_akhir", "jenis_jabatan", "jabatan", "unor_nama", "nip_atasan"]


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _rows(bad=False):
    kepala = make_nip(birth=__import__("datetime").date(1975, 3, 1), tmt=(2000, 3), gender="1")
    rows = [[kepala, "Joko Susilo", "", "S.T.", "1975-03-01", "L", "PNS", "IV/b", "Administrator",
             "Kepala Bidang Kebersihan", "Bidang Kebersihan dan Pertamanan", ""]]
    for i in range(4):
        nip = make_nip(birth=__import__("datetime").date(1990, 1, 10 + i), tmt=(2015, 2), gender="2")
        rows.append([nip, f"Staf Kebersihan {i}", "", "", f"1990-01-{10 + i}", "P", "PNS", "II/c", "Pelaksana",
                     "Pengemudi", "Bidang Kebersihan dan Pertamanan", kepala])
    if bad:
        rows.append(["19901310201502200X", "Salah Satu", "", "", "1990-13-10", "P", "PNS", "II/c", "Pelaksana",
                     "Pengemudi", "Bidang Kebersihan dan Pertamanan", kepala])
    return rows


def test_import_preview_then_commit(page, live_server, live_data, console_errors, tmp_path):
    before = count(live_data.app, Employee)
    good = _rows()
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/impor/")
    assert_accessible(page, "import page")
    screenshot(page, "import-upload")

    page.get_by_label("Berkas SIASN (.csv atau .xlsx)").set_input_files(str(_write(tmp_path / "siasn.csv",
                                                                                   _rows(bad=True))))
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    expect(page.get_by_role("heading", name=re.compile("Baris yang ditolak"))).to_be_visible()
    expect(page.get_by_role("button", name="Simpan ke database")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("nip_baru")
    assert_accessible(page, "import preview with rejected rows")
    screenshot(page, "import-preview-rejected")
    assert count(live_data.app, Employee) == before  # a preview writes no employee

    page.goto(f"{live_server}/impor/")
    page.get_by_label("Berkas SIASN (.csv atau .xlsx)").set_input_files(str(_write(tmp_path / "siasn2.csv", good)))
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    expect(page.get_by_role("button", name="Simpan ke database")).to_be_visible()
    screenshot(page, "import-preview-ok")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Simpan ke database").click()
    expect(page.get_by_text(re.compile("Impor tersimpan: 5 pegawai baru"))).to_be_visible()
    assert "5 pegawai baru" in messages[0]  # the confirmation said what would happen
    assert count(live_data.app, Employee) == before + 5
