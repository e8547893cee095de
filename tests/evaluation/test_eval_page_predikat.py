"""The predikat box follows the radios through htmx: every cell of the kuadran, bad values,
access, and no state change."""
import re

import pytest
import sqlalchemy as sa

from portal.evaluation.models import Evaluation
from portal.extensions import db
from tests.evaluation.sample import sample_evaluation

HX = {"HX-Request": "true"}
ORDER = ["di_atas", "sesuai", "di_bawah"]
EXPECTED = {
    ("di_atas", "di_atas"): "Sangat Baik", ("di_atas", "sesuai"): "Baik",
    ("di_atas", "di_bawah"): "Kurang/Misconduct",
    ("sesuai", "di_atas"): "Baik", ("sesuai", "sesuai"): "Baik", ("sesuai", "di_bawah"): "Kurang/Misconduct",
    ("di_bawah", "di_atas"): "Butuh Perbaikan", ("di_bawah", "sesuai"): "Butuh Perbaikan",
    ("di_bawah", "di_bawah"): "Sangat Kurang",
}


@pytest.fixture
def s(world):
    return sample_evaluation(world)


def preview(client, plan, key=11, **query):
    return client.get(f"/evaluasi/skp/{plan.id}/{key}/predikat", query_string=query, headers=HX)


def current_cell(page):
    """(row index, column index) of the highlighted cell in the kuadran's body."""
    body = page.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    found = [(r, c) for r, row in enumerate(rows)
             for c, cell in enumerate(re.findall(r"<td[^>]*>", row)) if "is-current" in cell]
    return found


@pytest.mark.parametrize("hasil,perilaku", sorted(EXPECTED))
def test_every_cell_of_the_kuadran(s, login_as, hasil, perilaku):
    before = db.session.scalar(sa.select(sa.func.count(Evaluation.id)))
    response = preview(login_as("supervisor"), s.plan, hasil_rating=hasil, perilaku_rating=perilaku)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page  # the partial only
    assert f'id="predikat-word">{EXPECTED[(hasil, perilaku)]}<' in page
    assert current_cell(page) == [(ORDER.index(hasil), ORDER.index(perilaku))]
    assert 'aria-current="true"' in page
    # a preview of a draft says it is not saved yet
    assert "Pratinjau dari pilihan Anda" in page
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == before


@pytest.mark.parametrize("query", [{}, {"hasil_rating": "sesuai"}, {"hasil_rating": "x", "perilaku_rating": "y"},
                                   {"hasil_rating": "sesuai", "perilaku_rating": "'><script>"}])
def test_without_two_valid_ratings_there_is_no_predikat(s, login_as, query):
    response = preview(login_as("supervisor"), s.plan, **query)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Predikat belum dapat ditentukan" in page and "is-current" not in page
    assert "<script>" not in page


def test_the_saved_predikat_is_not_called_a_preview(s, login_as):
    page = preview(login_as("pegawai"), s.plan, key=10, hasil_rating="sesuai",
                   perilaku_rating="sesuai").get_data(as_text=True)
    assert 'id="predikat-word">Baik<' in page and "Pratinjau" not in page


def test_preview_without_htmx_and_for_a_period_not_started(s, login_as):
    client = login_as("supervisor")
    response = client.get(f"/evaluasi/skp/{s.plan.id}/3/predikat?hasil_rating=di_bawah&perilaku_rating=sesuai")
    assert response.status_code == 200 and "Butuh Perbaikan" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id)).where(
        Evaluation.plan_id == s.plan.id, Evaluation.period_key == 3)) == 0


def test_page_radios_ask_for_the_preview(s, login_as):
    page = login_as("supervisor").get(f"/evaluasi/skp/{s.plan.id}/11").get_data(as_text=True)
    assert page.count(f'data-hx-get="/evaluasi/skp/{s.plan.id}/11/predikat"') == 2
    assert 'data-hx-target="#predikat-box"' in page
    assert '<div id="predikat-box" aria-live="polite">' in page


def test_preview_access_is_that_of_the_page(s, world, login_as, factory):
    outsider = factory.user(world.staff_b)
    db.session.flush()
    assert preview(login_as(outsider), s.plan).status_code == 403
    assert preview(login_as("pegawai"), s.plan).status_code == 200
    assert preview(login_as("supervisor"), s.plan, key=13).status_code == 404
