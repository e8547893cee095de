"""A crawl of the portal per role, in Chromium: every page a role can reach by following links.

Each role of ``LiveData`` signs in and follows same-origin links (``a[href]``) breadth-first from
the home page, bounded: at most MAX_PAGES pages, PER_KIND pages per kind of URL (a path with its
ids left out and the names of its query parameters: /pegawai/1 and /pegawai/2 are one kind,
/pegawai/?unit=1 another), PER_PATH query-string variants per path, never signing out (/keluar)
or downloading (.csv, ``download`` links). On every page: the link does not lead to an error or
a refusal (status < 400: a link the portal shows a role must open for it), no console error or
uncaught exception, and axe-core finds no serious or critical WCAG 2 A/AA violation. A desktop
screenshot (the viewport) of every page visited goes to test-artifacts/screenshots/crawl/, with
a <role>.json listing the pages and the time the role's crawl took. Like the other checks that
do not depend on the database, it runs in the SQLite run of the suite only.
"""
import json
import re
import shutil
import time
from collections import Counter, deque
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, AXE, sign_in
from tests.security.harness import once_per_ci_run

pytestmark = once_per_ci_run()

MAX_PAGES = 60
PER_KIND = 1
PER_PATH = 3
SKIP_PATHS = re.compile(r"^/(keluar|static/)|\.(csv|xlsx|pdf|zip)$")
SHOTS = ARTIFACTS / "crawl"


def _pattern(path):
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


def _kind(url):
    parts = urlsplit(url)
    return _pattern(parts.path) + "?" + "&".join(sorted(k for k, _v in parse_qsl(parts.query, keep_blank_values=True)))


def _axe_problems(page):
    """Serious and critical WCAG 2 A/AA violations, filtered in the page: axe's full result (every
    passing check) is large, and sending it back costs more than the check."""
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa'], resultTypes: ['violations']});
        return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}));
    }""")


def _links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == origin and not SKIP_PATHS.search(parts.path):
            out.append(url)
    return out


def crawl(page, base_url, role, problems):
    """Breadth-first from the home page; returns the URLs visited, in order."""
    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(str(exc)))
    queue, seen = deque([f"{base_url}/"]), {f"{base_url}/"}
    per_kind, per_path = Counter(), Counter()
    visited = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        console.clear()
        response = page.goto(url, wait_until="load")
        status = response.status if response else None
        visited.append(url)
        page.screenshot(path=str(SHOTS / f"{role}-{len(visited):02d}.png"))
        if status is None or status >= 400:
            problems.append(f"{role} {url}: status {status}")
            continue
        if console:
            problems.append(f"{role} {url}: console {console[:3]}")
        bad = _axe_problems(page)
        if bad:
            problems.append(f"{role} {url}: axe {json.dumps(bad)}")
        for link in _links(page, base_url):
            link_path = urlsplit(link).path
            if link in seen or per_kind[_kind(link)] >= PER_KIND or per_path[link_path] >= PER_PATH:
                continue
            seen.add(link)
            per_kind[_kind(link)] += 1
            per_path[link_path] += 1
            queue.append(link)
    return visited


@pytest.fixture(scope="module", autouse=True)
def fresh_screenshots():
    """Screenshots of this run only (a crawl of other data leaves other file names)."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"])
def test_crawl(page, live_server, live_data, role):
    started = time.perf_counter()
    sign_in(page, live_server, live_data.logins[role])
    problems = []
    visited = crawl(page, live_server, role, problems)
    seconds = time.perf_counter() - started
    (SHOTS / f"{role}.json").write_text(json.dumps({"seconds": round(seconds, 1), "pages": visited}, indent=1))
    assert not problems, "\n".join(problems)
    patterns = {_pattern(urlsplit(u).path) for u in visited}
    # the crawl got past the home page into the portal's sections
    assert {"/", "/pegawai/", "/pegawai/<id>", "/unit/", "/unit/<id>"} <= patterns, sorted(patterns)
