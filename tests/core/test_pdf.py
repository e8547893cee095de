"""PDF rendering: the URL fetcher serves the app's static files only; responses and names."""
import pytest

from portal.core import pdf


@pytest.fixture
def fetcher(app):
    return pdf.url_fetcher()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://example.com/style.css",
    "https://example.com/static/app.css",
    "http://127.0.0.1/static/app.css",
    "http://localhost/static/app.css",
    "ftp://example.com/x.css",
    f"http://user@{pdf.PDF_HOST}/static/app.css",
    f"{pdf.BASE_URL}static/../../config.py",
    f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/config.py",
    f"{pdf.BASE_URL}static/..%2f..%2fconfig.py",
    f"{pdf.BASE_URL}static/does-not-exist.css",
    f"{pdf.BASE_URL}masuk",
    f"{pdf.BASE_URL}",
])
def test_fetcher_refuses_everything_but_static_files(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_serves_static_files_from_disk(app, fetcher):
    from flask import url_for
    url = pdf.BASE_URL.rstrip("/") + url_for("static", filename="app.css")
    response = fetcher.fetch(url)
    try:
        body = response.read()
    finally:
        response.close()
    assert body == (app.static_folder and open(f"{app.static_folder}/app.css", "rb").read())
    assert response.content_type == "text/css"


def test_fetcher_allows_data_urls(fetcher):
    response = fetcher.fetch("data:text/plain;base64,aGFsbw==")
    assert response.read() == b"halo"
    response.close()


def test_static_path_stays_inside_the_static_folder(app):
    from pathlib import Path
    path = pdf.static_path(f"{pdf.BASE_URL}static/vendor/bootstrap.min.css")
    assert path.resolve().is_relative_to(Path(app.static_folder).resolve())


def test_render_pdf_loads_static_css_and_skips_local_files(app, monkeypatch, tmp_path):
    """A document that names a local file or another host still renders, without reading them."""
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA")
    fetched = []
    original = pdf.static_path

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(pdf, "static_path", spy)
    template = app.jinja_env.from_string(f"""
        <html><head><link rel="stylesheet" href="{{{{ url_for('static', filename='app.css') }}}}">
        <link rel="stylesheet" href="file://{secret}"></head>
        <body><p>Halo PDF</p><img src="file://{secret}" alt=""><img src="http://example.com/x.png" alt="">
        </body></html>""")
    data = pdf.render_pdf(template)
    assert data.startswith(b"%PDF")
    assert any(u.endswith("/static/app.css") for u in fetched)
    assert f"file://{secret}" in fetched and "http://example.com/x.png" in fetched  # asked, refused
    assert b"RAHASIA" not in data


def test_pdf_response_is_an_attachment_with_a_safe_name(app):
    response = pdf.pdf_response(b"%PDF-1.7 x", 'SKP 2026 "Budi"\r\n../../etc.pdf')
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    name = disposition.split("filename=", 1)[1].strip('"')
    assert name.endswith(".pdf") and "/" not in name and '"' not in name and "\r" not in name
    assert response.headers["Cache-Control"] == "private, no-store"
    assert pdf.pdf_response(b"%PDF", "a.pdf", download=False).headers["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize("name, expected", [
    ("SKP-2026-1980.pdf", "SKP-2026-1980.pdf"),
    ("laporan akhir", "laporan-akhir.pdf"),
    ("../..", "dokumen.pdf"),
    ("", "dokumen.pdf"),
    ("Évaluasi ñ.pdf", "valuasi-.pdf"),
])
def test_safe_filename(name, expected):
    assert pdf.safe_filename(name) == expected


def test_css_string_cannot_leave_the_string_or_the_style_element(app):
    text = 'a"b\\c</style><script>x</script>\nd'
    literal = pdf.css_string(text)
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner
