"""The units' IKM pages: the list with one grouped query, a unit's index, elements, trend and
comments, who may read which unit, the QR poster and the IKM card on the unit page."""
import re
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal

import pytest

from portal.evaluation import feedback_services, rules
from portal.evaluation.models import IkmGrade, IkmResponse
from portal.extensions import db
from portal.people.models import UnitKind
from portal.plans.models import SubperiodLength
from tests.conftest import count_statements
from tests.plans.sample import make_period

SCRIPT = "<script>alert('ikm')</script>"


def _add(unit, scores, when, comment=None):
    if isinstance(scores, int):
        scores = [scores] * 9
    response = IkmResponse(org_unit=unit, comment=comment, created_dt=when,
                           **{f"u{n}": s for n, s in enumerate(scores, start=1)})
    db.session.add(response)
    return response


@pytest.fixture
def data(world):
    """2025 as a quarterly performance year, with responses in Dinas Alpha (three), its Bidang
    (one), Dinas Beta (one) and one just before the year."""
    make_period(2025, length=SubperiodLength.QUARTERLY)
    _add(world.dinas_a, 4, datetime(2025, 2, 10, 9))
    _add(world.dinas_a, [2, 3, 3, 4, 3, 2, 4, 1, 3], datetime(2025, 2, 20, 10), comment="Antre lama.")
    _add(world.dinas_a, 3, datetime(2025, 5, 5, 8), comment=SCRIPT)
    _add(world.bidang_a1, 1, datetime(2025, 3, 1, 12))
    _add(world.dinas_b, 4, datetime(2025, 7, 1, 12))
    _add(world.dinas_a, 1, datetime(2024, 12, 31, 12))
    db.session.flush()
    return world


def _rows(html):
    """unit name → (responses, index text) of the list's table."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        name = re.search(r'<a href="/ikm/unit/\d+[^"]*">([^<]+)</a>', row)
        cells = re.findall(r'<td data-label="[^"]+" class="text-end">([^<]*)</td>', row)
        if name:
            out[name.group(1)] = (int(cells[0]), cells[1].strip())
    return out


A_YEAR = rules.ikm_index([[4] * 9, [2, 3, 3, 4, 3, 2, 4, 1, 3], [3] * 9])


def test_the_list_shows_count_index_and_grade_per_unit(data, login_as):
    html = login_as("bkpsdm").get("/ikm/?tahun=2025").get_data(as_text=True)
    rows = _rows(html)
    assert A_YEAR == Decimal("81.48") and rules.ikm_grade(A_YEAR) is IkmGrade.B
    assert rows["Dinas Alpha"] == (3, "81,48")
    assert rows["Bidang Alpha Satu"] == (1, "25,00")
    assert rows["Dinas Beta"] == (1, "100,00")
    assert rows[data.root.name] == (0, "–")
    # the units with most responses come first
    assert list(rows)[0] == "Dinas Alpha" and list(rows)[-1] == data.root.name
    assert "Tahun 2025" in html


def test_a_sub_period_uses_the_performance_year_dates(data, login_as):
    client = login_as("bkpsdm")
    first_quarter = client.get("/ikm/?tahun=2025&periode=1").get_data(as_text=True)
    rows = _rows(first_quarter)
    assert rows["Dinas Alpha"] == (2, str(rules.ikm_index([[4] * 9, [2, 3, 3, 4, 3, 2, 4, 1, 3]])).replace(".", ","))
    assert rows["Dinas Beta"] == (0, "–")
    assert "Triwulan I 2025" in first_quarter
    # a year with no performance period is a calendar year with months
    assert _rows(client.get("/ikm/?tahun=2024").get_data(as_text=True)) == _rows(client.get("/ikm/").get_data(as_text=True))


@pytest.mark.parametrize("query", ["tahun=abc&periode=x", "tahun=1900&periode=99", "page=-4&q=%00%27",
                                   f"tahun={2**70}&periode={2**70}", "q=" + "x" * 300])
def test_odd_filters_fall_back_to_defaults(data, login_as, query):
    response = login_as("bkpsdm").get(f"/ikm/?{query}")
    assert response.status_code == 200


def test_the_list_is_scoped(data, login_as, factory):
    def names(role):
        client = login_as(role) if isinstance(role, str) else login_as(role)
        return set(_rows(client.get("/ikm/?tahun=2025").get_data(as_text=True)))

    everything = {data.root.name, "Dinas Alpha", "Bidang Alpha Satu", "Dinas Beta"}
    assert names("pimpinan") == names("bkpsdm") == names("superadmin") == everything
    assert names("admin_opd") == {"Dinas Alpha", "Bidang Alpha Satu"}
    assert names("pegawai") == names("supervisor") == {"Dinas Alpha", "Bidang Alpha Satu"}
    assert names(factory.user(data.staff_b)) == {"Dinas Beta"}
    # someone placed at the root itself reads the root only
    assert names(factory.user(factory.employee(unit=data.root, name="Staf Setda"))) == {data.root.name}


def test_search_and_htmx(data, login_as):
    client = login_as("bkpsdm")
    found = client.get("/ikm/?tahun=2025&q=beta", headers={"HX-Request": "true"})
    html = found.get_data(as_text=True)
    assert found.status_code == 200 and "<html" not in html and "<table" in html
    assert set(_rows(html)) == {"Dinas Beta"}
    nothing = client.get("/ikm/?q=tidak-ada").get_data(as_text=True)
    assert "Tidak ada unit yang cocok" in nothing


def test_the_list_runs_a_fixed_number_of_queries(data, login_as, factory):
    client = login_as("bkpsdm")
    client.get("/ikm/")  # warm up (the session's first queries)
    with count_statements() as few:
        assert client.get("/ikm/?tahun=2025").status_code == 200
    for n in range(12):
        unit = factory.unit(f"UPT Tambahan {n}", UnitKind.UPT, data.dinas_b)
        _add(unit, 1 + n % 4, datetime(2025, 4, 1 + n, 9))
    db.session.flush()
    with count_statements() as many:
        html = client.get("/ikm/?tahun=2025").get_data(as_text=True)
    assert len(_rows(html)) == 16
    assert len(many) == len(few), many


def test_ikm_by_unit_matches_unit_ikm(data):
    start, end = datetime(2025, 1, 1).date(), datetime(2025, 12, 31).date()
    ids = [data.root.id, data.dinas_a.id, data.bidang_a1.id, data.dinas_b.id]
    with count_statements() as statements:
        grouped = feedback_services.ikm_by_unit(ids, start, end)
    assert len(statements) == 1
    for unit in (data.root, data.dinas_a, data.bidang_a1, data.dinas_b):
        assert grouped[unit.id] == feedback_services.unit_ikm(unit, start, end), unit.name


def test_the_unit_page_shows_index_elements_trend_and_comments(data, login_as):
    response = login_as("pimpinan").get(f"/ikm/unit/{data.dinas_a.id}?tahun=2025")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="ikm-index">81,48<', html) and re.search(r'id="ikm-grade">B<', html)
    assert re.search(r'id="ikm-count">3<', html)
    for element in feedback_services.ELEMENTS:
        assert str(element.title) in html
    # U8: (4 + 1 + 3) / 3 = 2,67; meters carry the mean, no inline styles
    assert ">2,67<" in html and 'value="2.67"' in html
    assert "style=" not in html
    # the trend: February (two responses) and May (one) have bars, drawn server-side
    assert "ikm-chart" in html and html.count("<rect") == 2
    trend = feedback_services.monthly_trend(data.dinas_a, 2025)
    assert [p.count for p in trend] == [0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert trend[1].index == rules.ikm_index([[4] * 9, [2, 3, 3, 4, 3, 2, 4, 1, 3]])
    assert trend[4].index == Decimal("75.00") and trend[4].grade is IkmGrade.C and trend[0].index is None
    # comments, newest first, escaped
    assert html.index("&lt;script&gt;") < html.index("Antre lama.")
    assert SCRIPT not in html
    # the public link is absolute, with the poster next to it
    assert f'href="http://localhost/feedback/{data.dinas_a.public_code}"' in html
    assert f"/ikm/unit/{data.dinas_a.id}/poster.pdf" in html
    # pimpinan reads, but does not manage the services
    assert 'id="layanan"' in html and "/layanan\"" not in html


def test_a_sub_period_on_the_unit_page(data, login_as):
    html = login_as("pimpinan").get(f"/ikm/unit/{data.dinas_a.id}?tahun=2025&periode=2").get_data(as_text=True)
    assert re.search(r'id="ikm-count">1<', html) and re.search(r'id="ikm-index">75,00<', html)
    assert "Antre lama." not in html and "&lt;script&gt;" in html


def test_comments_are_paginated(data, login_as):
    for n in range(12):
        _add(data.dinas_b, 3, datetime(2025, 8, 1 + n, 9), comment=f"Saran nomor {n:02d}")
    db.session.flush()
    client = login_as("pimpinan")
    first = client.get(f"/ikm/unit/{data.dinas_b.id}?tahun=2025").get_data(as_text=True)
    second = client.get(f"/ikm/unit/{data.dinas_b.id}?tahun=2025&page=2").get_data(as_text=True)
    assert "Saran nomor 11" in first and "Saran nomor 01" not in first
    assert "Saran nomor 01" in second and "Saran nomor 11" not in second
    assert "tahun=2025" in first.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_an_empty_unit_page_has_empty_states(data, login_as):
    html = login_as("pimpinan").get(f"/ikm/unit/{data.root.id}?tahun=2025").get_data(as_text=True)
    assert re.search(r'id="ikm-count">0<', html) and "Belum ada penilaian" in html
    assert "ikm-chart" not in html and "Belum ada saran tertulis" in html


def test_public_base_url_is_preferred(app, data, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ikm.example.go.id/")
    html = login_as("pimpinan").get(f"/ikm/unit/{data.dinas_a.id}").get_data(as_text=True)
    assert f"https://ikm.example.go.id/feedback/{data.dinas_a.public_code}" in html
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    monkeypatch.setitem(app.config, "MAIL_SITE_URL", "https://capaian.example.go.id")
    with app.test_request_context():
        assert feedback_services.public_url(data.dinas_a) == \
            f"https://capaian.example.go.id/feedback/{data.dinas_a.public_code}"


@pytest.mark.parametrize("role, unit, status", [
    ("admin_opd", "dinas_b", 403), ("admin_opd", "root", 403), ("admin_opd", "bidang_a1", 200),
    ("pegawai", "dinas_b", 403), ("pegawai", "dinas_a", 200), ("supervisor", "root", 403),
    ("pimpinan", "dinas_b", 200), ("bkpsdm", "root", 200), ("superadmin", "bidang_a1", 200),
])
def test_the_scope_rule_on_the_unit_page_and_poster(data, login_as, role, unit, status):
    unit = getattr(data, unit)
    client = login_as(role)
    assert client.get(f"/ikm/unit/{unit.id}").status_code == status
    assert feedback_services.can_view_ikm(data.users[role], unit) is (status == 200)
    if status == 403:
        assert client.get(f"/ikm/unit/{unit.id}/poster.pdf").status_code == 403


def test_unknown_units_are_not_found(data, login_as):
    client = login_as("bkpsdm")
    assert client.get("/ikm/unit/999999").status_code == 404
    assert client.get("/ikm/unit/999999/poster.pdf").status_code == 404
    assert login_as(None).get(f"/ikm/unit/{data.dinas_a.id}").status_code == 302


def _pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: apt-get install -y poppler-utils (make test installs it)")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_poster_carries_the_unit_the_address_and_a_qr_code_of_it(app, data, login_as, monkeypatch):
    import segno
    given = []
    real_make = segno.make

    def spy(content, *args, **kwargs):
        given.append(content)
        return real_make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    feedback_services._poster.cache_clear()
    response = login_as("admin_opd").get(f"/ikm/unit/{data.dinas_a.id}/poster.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    url = f"http://localhost/feedback/{data.dinas_a.public_code}"
    text = " ".join(_pdf_text(response.data).split())
    assert "Dinas Alpha" in text and url in text and app.config["INSTANSI_NAME"].upper() in text
    assert "Bagaimana pelayanan kami hari ini?" in text and "Tanpa nama, tanpa akun, kurang dari 2 menit" in text
    assert url in given
    # the QR code segno makes for that address is the one embedded
    assert feedback_services.qr_data_uri(url).startswith("data:image/svg+xml")


def test_an_inactive_unit_has_no_poster(data, login_as):
    data.dinas_b.is_active = False
    db.session.flush()
    client = login_as("bkpsdm")
    assert client.get(f"/ikm/unit/{data.dinas_b.id}/poster.pdf").status_code == 404
    page = client.get(f"/ikm/unit/{data.dinas_b.id}?tahun=2025").get_data(as_text=True)
    assert "poster.pdf" not in page and "tidak menerima penilaian" in page


def test_the_unit_page_shows_the_current_year_ikm(world, login_as, factory):
    now = datetime.utcnow()
    _add(world.dinas_a, 4, now)
    _add(world.dinas_a, 3, now)
    db.session.flush()
    html = login_as("admin_opd").get(f"/unit/{world.dinas_a.id}").get_data(as_text=True)
    card = html.split('id="unit-ikm"', 1)[1].split("</section>", 1)[0]
    assert "87,50" in card and "mutu B" in card and "2 tanggapan" in card
    assert f'href="/ikm/unit/{world.dinas_a.id}"' in card
    # someone who may not read the unit's IKM does not see the card
    other = login_as(factory.user(world.staff_b)).get(f"/unit/{world.dinas_a.id}").get_data(as_text=True)
    assert 'id="unit-ikm"' not in other
