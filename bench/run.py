"""make bench: throughput, latency, SQL statements per request and memory of the key pages.

For each database (SQLite, and PostgreSQL when it answers) it builds the scale dataset, serves the
portal with gunicorn (2 sync workers) and, in the same run, a bare Flask app as the baseline, loads
each key page with wrk (16 connections, 10 s) signed in as the right role, counts SQL statements per
request in-process at two sizes, and records the peak memory of each worker. Results go to
bench/results/latest.json and BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PASSWORD = "Capaian#2026"
USER_AGENT = "capaian-bench"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/capaian_bench")
TARGET_RATIO, TARGET_P95_MS, TARGET_SQL, TARGET_MB = 0.25, 50.0, 10, 150
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.1f %.1f %.1f %.1f\\n", summary.requests, summary.errors.status
    + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1000000))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env, *args, timeout=900):
    started = time.perf_counter()
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   timeout=timeout, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def make_env(url):
    env = {**os.environ, "PORTAL_ENV_NAME": "production", "PORTAL_SECRET_KEY": "b" * 64,
           "PORTAL_SQLALCHEMY_DATABASE_URI": url, "PORTAL_SESSION_COOKIE_SECURE": "false",
           "PORTAL_LOGIN_LIMIT": "100000 per minute"}
    return env


def prepare_database(url, employees):
    """Fresh schema from the migrations, then the scale dataset; returns the seed time."""
    env = make_env(url)
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    else:
        flask(env, "db", "downgrade", "base")
    flask(env, "db", "upgrade")
    return flask(env, "seed", "scale", "--employees", str(employees), "--reset", "--yes")


class Server:
    def __init__(self, app, env, port):
        self.port = port
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             app], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if app == "wsgi:app"
                                       else f"http://127.0.0.1:{port}/", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{app} did not start: {self.proc.stderr.read().decode()[-2000:]}")

    def worker_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def peak_memory_mb(self):
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return peaks

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


def sign_in(port, login):
    """A session cookie for ``login`` (through the real sign-in form, CSRF included)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"http://127.0.0.1:{port}/masuk").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"login": login, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"http://127.0.0.1:{port}/masuk", data=data).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = opener.open(f"http://127.0.0.1:{port}/").geturl()
    if "/masuk" in check:
        raise RuntimeError(f"bench could not sign in as {login}")
    return cookies


def wrk(url, cookie=None, seconds=10):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA)
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(script), "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    script.unlink()
    requests, errors, p50, p95, p99, duration = re.search(r"BENCH (.+)", out).group(1).split()
    return {"rps": round(int(requests) / float(duration), 1), "errors": int(errors),
            "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99)}


def key_pages(ctx):
    """(name, role, path) of the pages every change is measured on."""
    return [
        ("sign-in page", None, "/masuk"),
        ("home (pegawai)", "pegawai", "/"),
        ("directory (pegawai)", "pegawai", "/pegawai/"),
        ("directory search (pegawai)", "pegawai", "/pegawai/?q=sri"),
        ("directory unit filter (bkpsdm)", "bkpsdm", f"/pegawai/?unit={ctx['opd_id']}"),
        ("profile (supervisor)", "supervisor", f"/pegawai/{ctx['subordinate_id']}"),
        ("unit tree (pegawai)", "pegawai", "/unit/"),
        ("unit page (bkpsdm)", "bkpsdm", f"/unit/{ctx['opd_id']}"),
        ("import page (bkpsdm)", "bkpsdm", "/impor/"),
        ("accounts (superadmin)", "superadmin", "/akun/"),
        *[(name, role, ctx["plan_pages"][endpoint]) for name, role, endpoint in PLAN_PAGES
          if ctx.get("plan_pages", {}).get(endpoint)],
        *[(name, role, ctx["evaluation_pages"][endpoint]) for name, role, endpoint in EVALUATION_PAGES
          if ctx.get("evaluation_pages", {}).get(endpoint) and ctx["logins"].get(role)],
        *[(name, role, ctx["catalogue_pages"][endpoint]) for name, role, endpoint in CATALOGUE_PAGES
          if ctx.get("catalogue_pages", {}).get(endpoint) and ctx["logins"].get(role)],
    ]


# The performance pages, by endpoint: measured once their views exist (the path comes from the URL map).
PLAN_PAGES = [
    ("SKP page (pegawai)", "plan_owner", "plans.show_plan"),
    ("performance home (pegawai)", "plan_owner", "performance.my_performance"),
    ("performance inbox (supervisor)", "appraiser", "performance.inbox"),
]

# The evaluation pages (issue 5), by endpoint, measured once their views exist: the plan owner's
# November evaluation (a draft the seed writes at every size) opened by the penilai, the penilai's
# team for November, and the distribution of the first dinas for October (its capaian is set).
EVALUATION_PAGES = [
    ("evaluation page (supervisor)", "appraiser", "evaluation.show_evaluation"),
    ("team evaluations (supervisor)", "appraiser", "team_evaluations.show_team"),
    ("unit distribution (pimpinan)", "pimpinan", "org_capaian.show_distribution"),
]

# The career-development pages (issue 6): the catalogue searched by a word with the delivery filter,
# and "Rekomendasi untuk saya" of a pegawai who has open recommendations.
CATALOGUE_PAGES = [
    ("catalogue search (pegawai)", "pegawai", "catalogue.list_programmes"),
    ("recommendations (pegawai)", "rec_owner", "recommendations.my_recommendations"),
]


def bench_context(url):
    """Demo logins and sample ids, read from the database the seed built."""
    code = r"""
import json, sqlalchemy as sa
from portal import create_app
from portal.extensions import db
from portal.auth.models import User, UserRole, Role
from portal.people.models import Employee, OrgUnit, UnitKind
app = create_app()
with app.app_context():
    def login_with(role):
        u = db.session.scalar(sa.select(User).join(UserRole).where(UserRole.role == role).order_by(User.id))
        return u.login_name
    sup = db.session.scalar(sa.select(Employee).where(Employee.supervisor_id.is_not(None))
                            .order_by(Employee.id).offset(50))
    boss = sup.supervisor
    boss_user = db.session.scalar(sa.select(User).where(User.employee_id == boss.id))
    pegawai = db.session.scalar(sa.select(User).where(User.employee_id.is_not(None), ~User.roles.any())
                                .order_by(User.id))
    opd = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.DINAS).order_by(OrgUnit.id))
    logins = {"bkpsdm": login_with(Role.BKPSDM), "superadmin": login_with(Role.SUPERADMIN),
              "pimpinan": login_with(Role.PIMPINAN),
              "pegawai": pegawai.login_name, "supervisor": boss_user.login_name if boss_user else None}
    plan_pages, evaluation_pages = {}, {}
    # The performance pages: a pegawai (no role, not a head) with an approved SKP of the open year,
    # and that pegawai's appraiser, whose staff have submitted realisasi waiting in the inbox.
    from portal.people.models import Position
    from portal.plans.models import PerformancePeriod, PerformancePlan, PeriodStatus, PlanStatus
    plan = db.session.scalar(
        sa.select(PerformancePlan).join(PerformancePeriod).join(User, User.employee_id == PerformancePlan.employee_id)
        .join(Position, Position.id == PerformancePlan.position_id)
        .where(PerformancePeriod.status == PeriodStatus.OPEN, PerformancePlan.status == PlanStatus.APPROVED,
               ~User.roles.any(), ~Position.is_head).order_by(User.id))
    if plan is not None:
        owner = db.session.scalar(sa.select(User).where(User.employee_id == plan.employee_id))
        appraiser = db.session.scalar(sa.select(User).where(User.employee_id == plan.appraiser_id))
        logins["plan_owner"] = owner.login_name
        logins["appraiser"] = appraiser.login_name if appraiser else None
        rules = {r.endpoint: r for r in app.url_map.iter_rules()}
        with app.test_request_context():
            from flask import url_for
            for endpoint in ("plans.show_plan", "performance.my_performance", "performance.inbox"):
                rule = rules.get(endpoint)
                if rule is not None:
                    plan_pages[endpoint] = url_for(endpoint, **{arg: plan.id for arg in rule.arguments})
            year = plan.period.year
            for endpoint, args in (("evaluation.show_evaluation", {"plan_id": plan.id, "period_key": 11}),
                                   ("team_evaluations.show_team", {"tahun": year, "periode": 11}),
                                   ("org_capaian.show_distribution", {"unit_id": opd.id, "tahun": year,
                                                                      "periode": 10})):
                if endpoint in rules:
                    evaluation_pages[endpoint] = url_for(endpoint, **args)
    # The catalogue pages: a pegawai account (no role) with open recommendations.
    catalogue_pages = {}
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    from portal.catalogue.models import Recommendation, RecommendationStatus
    owner = db.session.scalar(
        sa.select(User).join(Recommendation, Recommendation.employee_id == User.employee_id)
        .where(~User.roles.any(), Recommendation.status == RecommendationStatus.OPEN).order_by(User.id).limit(1))
    if owner is not None:
        logins["rec_owner"] = owner.login_name
    with app.test_request_context():
        from flask import url_for
        if "catalogue.list_programmes" in endpoints:
            catalogue_pages["catalogue.list_programmes"] = url_for("catalogue.list_programmes", q="data",
                                                                   metode="daring")
        if "recommendations.my_recommendations" in endpoints:
            catalogue_pages["recommendations.my_recommendations"] = url_for("recommendations.my_recommendations")
    print(json.dumps({"logins": logins, "plan_pages": plan_pages, "evaluation_pages": evaluation_pages,
                      "catalogue_pages": catalogue_pages,
                      "appraiser_employee_id": plan.appraiser_id if plan is not None else None,
                      "supervisor_employee_id": boss.id, "subordinate_id": sup.id, "opd_id": opd.id,
                      "employees": db.session.scalar(sa.select(sa.func.count()).select_from(Employee))}))
"""
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=make_env(url), capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def ensure_supervisor_account(url, ctx):
    """The bench signs in as the subordinate's supervisor (and the plan owner's appraiser); give them
    a password if needed."""
    for role, key in (("supervisor", "supervisor_employee_id"), ("appraiser", "appraiser_employee_id")):
        if ctx["logins"].get(role) or not ctx.get(key) or (role == "appraiser" and "plan_owner" not in ctx["logins"]):
            continue
        code = f"""
from portal import create_app
from portal.extensions import db
from portal.people.models import Employee
from portal.auth import services
app = create_app()
with app.app_context():
    e = db.session.get(Employee, {ctx[key]})
    u = services.account_for(e); u.set_password({PASSWORD!r}); db.session.commit(); print(u.login_name)
"""
        out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=make_env(url), capture_output=True, text=True,
                             check=True).stdout
        ctx["logins"][role] = out.strip().splitlines()[-1]


def count_statements(url, ctx):
    """SQL statements per request for each key page, in-process (test client, CSRF on)."""
    code = r"""
import json, sys, re
import sqlalchemy as sa
from portal import create_app
from portal.extensions import db
ctx = json.loads(sys.argv[1]); pages = json.loads(sys.argv[2])
app = create_app()
counter = {"n": 0}
with app.app_context():
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a, **k: counter.__setitem__("n", counter["n"] + 1))
out = {}
clients = {}
for name, role, path in pages:
    if role not in clients:
        c = app.test_client(); c.environ_base["HTTP_USER_AGENT"] = "capaian-bench"
        if role:
            page = c.get("/masuk").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            r = c.post("/masuk", data={"login": ctx["logins"][role], "password": "Capaian#2026", "csrf_token": token})
            assert r.status_code == 302, (role, r.status_code)
        clients[role] = c
    c = clients[role]
    c.get(path)  # warm caches (translations, templates)
    counter["n"] = 0
    r = c.get(path)
    out[name] = {"statements": counter["n"], "status": r.status_code}
print(json.dumps(out))
"""
    pages = key_pages(ctx)
    out = subprocess.run([PYTHON, "-c", code, json.dumps(ctx), json.dumps(pages)], cwd=ROOT,
                         env=make_env(url), capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_database(label, url, sizes, seconds):
    result = {"database": label, "seed_seconds": {}, "statements": {}, "pages": {}}
    # Statement counts at each size (the count must not grow with the data).
    for size in sizes:
        print(f"[{label}] seeding {size} employees …", flush=True)
        result["seed_seconds"][str(size)] = round(prepare_database(url, size), 1)
        ctx = bench_context(url)
        ensure_supervisor_account(url, ctx)
        result["statements"][str(size)] = count_statements(url, ctx)
    # Throughput and latency at the largest size, with the baseline in the same run.
    env = make_env(url)
    bare_port, app_port = free_port(), free_port()
    bare = Server("bench.bare_app:app", env, bare_port)
    app = Server("wsgi:app", env, app_port)
    try:
        print(f"[{label}] baseline …", flush=True)
        result["baseline"] = wrk(f"http://127.0.0.1:{bare_port}/", seconds=seconds)
        cookies = {}
        for name, role, path in key_pages(ctx):
            if role and role not in cookies:
                cookies[role] = sign_in(app_port, ctx["logins"][role])
            print(f"[{label}] {name} …", flush=True)
            figures = wrk(f"http://127.0.0.1:{app_port}{path}", cookies.get(role), seconds=seconds)
            figures["ratio"] = round(figures["rps"] / result["baseline"]["rps"], 3)
            result["pages"][name] = {"path": path, "role": role or "anonymous", **figures}
        result["worker_peak_mb"] = [round(m, 1) for m in app.peak_memory_mb()]
    finally:
        app.stop()
        bare.stop()
    return result


def targets(result, sizes):
    notes = []
    for name, page in result["pages"].items():
        if page["ratio"] < TARGET_RATIO:
            notes.append(f"{name}: {page['ratio']} × baseline (< {TARGET_RATIO})")
        if page["p95_ms"] > TARGET_P95_MS:
            notes.append(f"{name}: p95 {page['p95_ms']} ms (> {TARGET_P95_MS})")
        if page["errors"]:
            notes.append(f"{name}: {page['errors']} errors")
    counts = result["statements"]
    for name in counts[str(sizes[0])]:
        series = [counts[str(s)][name]["statements"] for s in sizes]
        if max(series) > TARGET_SQL:
            notes.append(f"{name}: {max(series)} SQL statements (> {TARGET_SQL})")
        if len(set(series)) > 1:
            notes.append(f"{name}: statement count grows with data {series}")
    if any(m > TARGET_MB for m in result.get("worker_peak_mb", [])):
        notes.append(f"worker memory {result['worker_peak_mb']} MB (> {TARGET_MB})")
    return notes


def write_markdown(report):
    lines = ["# Benchmarks", "",
             f"Last run: {report['date']} on {report['machine']} (`make bench`; code in `bench/`).", "",
             "Targets: every key page ≥ 0.25 × the bare-Flask baseline's throughput, p95 < 50 ms, "
             "≤ 10 SQL statements per request and the same count at every data size, < 150 MB per worker.", ""]
    for result in report["databases"]:
        sizes = list(result["statements"])
        lines += [f"## {result['database']}", "",
                  "Seed (`flask seed scale`): " + ", ".join(f"{s} employees in {t} s"
                                                             for s, t in result["seed_seconds"].items()) + ".",
                  f"Baseline (bare Flask + Jinja, gunicorn -w 2): {result['baseline']['rps']} req/s, "
                  f"p50 {result['baseline']['p50_ms']} ms, p95 {result['baseline']['p95_ms']} ms.", "",
                  "| page | role | req/s | × baseline | p50 ms | p95 ms | p99 ms | SQL " +
                  " / ".join(sizes) + " |", "|---|---|---|---|---|---|---|---|"]
        for name, page in result["pages"].items():
            sql = " / ".join(str(result["statements"][s][name]["statements"]) for s in sizes)
            lines.append(f"| {name} | {page['role']} | {page['rps']} | {page['ratio']} | {page['p50_ms']} | "
                         f"{page['p95_ms']} | {page['p99_ms']} | {sql} |")
        lines += ["", f"Peak memory per worker: {', '.join(str(m) for m in result['worker_peak_mb'])} MB.", ""]
        notes = result["targets_missed"]
        lines += ["Targets not met: " + ("none." if not notes else ""), *[f"- {n}" for n in notes], ""]
    for name, figures in report.get("batch", {}).items():
        lines.append(f"- {name}: {figures}")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,12000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="capaian-bench-"))
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
              "databases": [], "batch": {}}
    for label in args.databases.split(","):
        if label == "sqlite":
            url = f"sqlite:///{work / 'bench.db'}"
        else:
            url = PG_URL
            try:
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                                "CREATE DATABASE capaian_bench"], capture_output=True, timeout=20)
            except (OSError, subprocess.SubprocessError):
                print("PostgreSQL not available: skipped")
                continue
        result = run_database(label, url, sizes, args.seconds)
        result["targets_missed"] = targets(result, sizes)
        report["databases"].append(result)
    import_timing = ROOT / "bench" / "import_timing.py"
    if import_timing.exists():
        out = subprocess.run([PYTHON, str(import_timing)], cwd=ROOT, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            report["batch"]["SIASN import, 12,000 rows"] = json.loads(out.stdout.strip().splitlines()[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    write_markdown(report)
    print((ROOT / "BENCHMARKS.md").read_text())


if __name__ == "__main__":
    main()
