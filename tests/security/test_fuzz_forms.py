"""Fuzzing every POST route with hypothesis: whatever a form receives, the answer is never a 500.

Each POST route of the URL map is posted by a role it admits (anonymously when it is public) with
random bodies built from the field names of the form that posts there (found on the app's
pages): random unicode (right-to-left, emoji, control characters), strings of 10–100 KB,
negative and huge integers, impossible dates, empty strings, the form's own option values, and
random bytes or CSV-like text for file fields. Each example runs in a savepoint that is rolled
back. A 413 is accepted only for a body over MAX_CONTENT_LENGTH.
"""
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from portal import create_app
from portal.core.permissions import PUBLIC, access_of
from tests.security.harness import (
    MAX_ID,
    OUT_OF_RANGE,
    build_url,
    find_form,
    parse_forms,
    rolled_back,
    route_allows,
    routes,
    sample_urls,
    sample_values,
)

EXAMPLES = 15
QUERY_EXAMPLES = 6
# Most privileged first: the fuzzer should get as deep into each view as a user can.
PREFERRED = ["superadmin", "bkpsdm", "admin_opd", "pimpinan", "supervisor", "pegawai"]

SPECIAL = [
    "\u202eRTL override\u202c", "مرحبا بالعالم", "שלום", "\u200f\u200e\u200b\ufeff", "😀👩🏽‍💻🇮🇩", "Z̷̢̛a̸l̴g̷o̶",
    "\x01\x02\x1b[31m\x7f", "\t\r\n", "' OR '1'='1", "\"; DROP TABLE employee; --", "../../../../etc/passwd",
    "<script>alert(1)</script>", "%00", "%s%s%n", "{{7*7}}", "${7*7}", "\\", "None", "null", "true",
    "  ", "٣٤٥", "１２３", "ǅ", "ß" * 300,
]
# Around the edges of INTEGER (32 bits), of BIGINT and SQLite's 64 bits, and far beyond.
INTEGERS = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str),
                     st.sampled_from(["-1", "0", "-0", "1e309", "NaN", "Infinity", "0x10", "+5", "1_000", "1.5", "٣",
                                      *(str(n) for edge in (MAX_ID, 2**63 - 1) for n in (edge, edge + 1, -edge - 1)),
                                      *(str(n) for n in OUT_OF_RANGE), "9" * 40]))
DATES = st.one_of(st.dates().map(str), st.sampled_from([
    "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2024-02-30", "1900-13-01",
    "2024-1-1", "12/31/2024", "31-12-2024", "1970-01-01T00:00:00", "2024-02-29", "1899-12-31"]))
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00", exclude_categories=("Cs",)), max_size=60)
HUGE = st.builds(lambda n, ch: ch * n, st.integers(10_000, 100_000), st.sampled_from(["x", "é", "😀", "٣", "<"]))


def _values(options):
    choices = [TEXT, st.sampled_from(SPECIAL), HUGE, INTEGERS, DATES, st.just("")]
    if options:
        choices.insert(0, st.sampled_from(options))
    return st.one_of(*choices)


@st.composite
def csv_files(draw):
    """The SIASN template's header and a few rows of random cells."""
    from portal.people.importing import TEMPLATE_COLUMNS
    header = list(TEMPLATE_COLUMNS)
    rows = draw(st.lists(st.lists(st.one_of(TEXT, INTEGERS, DATES, st.sampled_from(SPECIAL)),
                                  min_size=len(header), max_size=len(header)), max_size=4))
    lines = [",".join(header)] + [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    return "\n".join(lines).encode("utf-8")


@st.composite
def uploads(draw):
    content = draw(st.one_of(st.binary(max_size=3000), csv_files()))
    name = draw(st.one_of(TEXT, st.sampled_from(SPECIAL))) + draw(st.sampled_from([".csv", ".xlsx", ".CSV", "", ".exe"]))
    return io.BytesIO(content), name


@st.composite
def bodies(draw, names, options, files):
    """A form body: a random subset of the form's fields (and maybe a stranger) with random values."""
    keys = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    if draw(st.booleans()) or not keys:
        keys.append(draw(st.one_of(TEXT, st.sampled_from(["id", "user_id", "role", "page", "next"]))))
    data = MultiDict()
    for key in keys:
        data.add(key, draw(_values(options.get(key))))
    for key in files:
        if draw(st.booleans()):
            data.add(key, draw(uploads()))
    return data


def _endpoints(method):
    """Endpoints of a method, read from an app made only for collection (the fixture app comes later)."""
    from tests.conftest import TEST_CONFIG
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({rule.endpoint for rule, _m in routes(app, {method})})


def pytest_generate_tests(metafunc):
    if "post_endpoint" in metafunc.fixturenames:
        metafunc.parametrize("post_endpoint", _endpoints("POST"))


def _body_size(data):
    """An upper bound of the encoded body's size (percent-encoding triples a byte at most)."""
    size = 0
    for key, value in data.items(multi=True):
        size += len(key.encode("utf-8", "surrogatepass")) + 8
        if isinstance(value, tuple):
            stream = value[0]
            size += len(stream.getvalue()) + len(value[1].encode("utf-8", "surrogatepass")) + 200
        else:
            size += len(value.encode("utf-8", "surrogatepass")) * 3
    return size


def _role_for(app, world, endpoint):
    """Anonymous (None) for a public route, else the most privileged role the route admits."""
    if PUBLIC in access_of(endpoint, app):
        return None
    role = next((r for r in PREFERRED if route_allows(app, endpoint, world.users[r])), None)
    if role is None:
        pytest.skip(f"no role of the test world may use {endpoint}")
    return role


def test_fuzz_post_route(app, world, extra, clients, post_endpoint):
    rule = next(r for r, _m in routes(app, {"POST"}) if r.endpoint == post_endpoint)
    role = _role_for(app, world, post_endpoint)
    client = clients[role]
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    found = find_form(app, clients["superadmin" if role else None], sample_values(world), post_endpoint)
    if found:
        url, form = found
        names, options, files = form.names, {n: [v for v, _s in o] for n, o in form.selects.items()}, form.file_fields
        names = [n for n in names if n not in files]
    else:
        url, names, options, files = build_url(rule, sample_values(world)), [], {}, []
    limit = app.config["MAX_CONTENT_LENGTH"]
    seen = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=bodies(names, options, files), htmx=st.booleans())
    def post(data, htmx):
        if cookie is not None:  # a previous example may have signed out (or changed the language)
            client.set_cookie(cookie.key, cookie.value)
        headers = {"HX-Request": "true"} if htmx else {}
        with rolled_back():
            response = client.post(url, data=data, headers=headers,
                                   content_type="multipart/form-data" if files else None)
        seen.append(response.status_code)
        assert response.status_code < 500, f"POST {url} {dict(data)!r:.500} → {response.status_code}"
        if response.status_code == 413:
            assert _body_size(data) > limit, f"413 for a body under MAX_CONTENT_LENGTH: {dict(data)!r:.300}"

    post()
    assert len(seen) >= EXAMPLES


def _query_names(html):
    """Names a page's forms use (its GET filters, and fields htmx sends back as a query)."""
    return sorted({n for form in parse_forms(html) for n in form.names} | {"page"})


def _fuzz_query(app, client, endpoint, url):
    from urllib.parse import urlencode
    first = client.get(url)
    names = _query_names(first.get_data(as_text=True)) if "html" in (first.content_type or "") else ["page"]

    @settings(max_examples=QUERY_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=st.dictionaries(st.one_of(st.sampled_from(names), TEXT),
                                 st.one_of(TEXT, st.sampled_from(SPECIAL), INTEGERS, DATES, st.just("")), max_size=4),
           htmx=st.booleans())
    def get(query, htmx):
        target = f"{url}?{urlencode(query, encoding='utf-8', errors='surrogatepass')}"
        response = client.get(target, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code < 500, f"GET {target[:300]} → {response.status_code}"

    get()


def test_fuzz_query_strings(app, world, extra, clients):
    """Every GET page with random query strings: its own filter names, ``page``, strangers."""
    failures = []
    values = sample_values(world)
    for rule, _m in routes(app, {"GET"}):
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        client = clients[_role_for(app, world, rule.endpoint)]
        try:
            _fuzz_query(app, client, rule.endpoint, sample_urls(app, rule, values, limit=1)[0])
        except Exception as exc:  # hypothesis re-raises the shrunk failing example
            failures.append(f"{rule.endpoint}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_out_of_range_numbers_in_queries_and_forms(app, world, extra, clients):
    """Every field of every form (GET filters and POST forms) with a number no column can hold."""
    beyond = OUT_OF_RANGE[-1]  # more than any database integer holds
    client, failures = clients["superadmin"], []
    values = sample_values(world)
    for rule, _m in routes(app, {"GET"}):
        for url in sample_urls(app, rule, values, limit=1):
            page = client.get(url)
            if page.status_code != 200 or "html" not in (page.content_type or ""):
                continue
            for form in parse_forms(page.get_data(as_text=True), f"http://localhost{url}"):
                # Filters of GET forms, and the fields of POST forms that carry ids (selects, hidden).
                names = form.names if form.method == "get" else [
                    *form.selects, *(n for n, _v, kind in form.inputs if kind == "hidden" and n != "csrf_token")]
                for name in names:
                    if form.method == "get":
                        status = client.get(url, query_string={name: beyond}).status_code
                    else:
                        data = MultiDict([(k, v) for k, v in form.values() if k != name] + [(name, str(beyond))])
                        with rolled_back():
                            status = client.post(form.action, data=data).status_code
                    if status >= 500:
                        failures.append(f"{form.method.upper()} {form.action} {name}={beyond} (from {url}): {status}")
    assert not failures, "\n".join(sorted(set(failures)))


def test_huge_page_numbers_are_not_errors(app, world, extra, clients):
    client, failures = clients["superadmin"], []
    values = sample_values(world)
    for rule, _m in routes(app, {"GET"}):
        for url in sample_urls(app, rule, values, limit=1):
            for query in ({"page": 2**62}, {"page": 10**20}, {"page": 2**62, "q": "a"}):
                status = client.get(url, query_string=query).status_code
                if status >= 500:
                    failures.append(f"GET {url}?{query}: {status}")
    assert not failures, "\n".join(failures)


def test_unknown_filter_values_are_ignored(app, world, clients):
    """An unknown filter value (an old bookmark, a hand-edited URL) means no filter, as for ?role=."""
    client = clients["pegawai"]
    everyone = client.get("/pegawai/").get_data(as_text=True)
    for value in ("0", "bukan-jenis", "JPT_UTAMA"):
        response = client.get("/pegawai/", query_string={"jenis": value})
        assert response.status_code == 200, f"?jenis={value}: {response.status_code}"
        assert world.staff_b.name in response.get_data(as_text=True) and world.staff_b.name in everyone
