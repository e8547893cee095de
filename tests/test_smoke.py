def test_healthz_reports_database(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_login_and_home(login_as, world):
    client = login_as("pegawai")
    page = client.get("/").get_data(as_text=True)
    assert "Staf Alpha" in page
