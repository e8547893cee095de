"""Shared machinery of the security suite, built from the app's URL map.

Nothing here knows a particular route: routes come from ``app.url_map``, sample URL values from
the permission matrix's ``ARGS`` (which fails for an argument nobody described), forms from the
HTML the app renders, and the model behind an ``<name>_id`` argument from the mapped tables.
"""
import itertools
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

from portal.core.permissions import AUTHENTICATED, PUBLIC, access_of
from portal.extensions import db

ROLES = ["pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"]
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|ALTER|CREATE|DROP)\b", re.I)

# URL arguments whose names do not spell their table; the rest are found by name: ``job_id`` →
# the table ``job``, else the one table whose name ends in ``_job`` (``entry_id`` → audit_entry).
ARGUMENT_TABLES = {
    "user_id": "user_account", "grant_id": "user_role",
    "plan_id": "performance_plan", "result_id": "result_plan", "period_id": "performance_period",
    "subperiod_id": "performance_subperiod", "target_id": "org_target", "goal_id": "team_goal",
    "activity_id": "activity_entry", "comment_id": "plan_comment",
    "evaluation_id": "evaluation", "objection_id": "objection", "peer_input_id": "peer_input",
    "service_id": "unit_service", "unit_id": "org_unit",
    # Career development (issue 6).
    "programme_id": "programme", "competency_id": "competency", "recommendation_id": "recommendation",
    "idp_id": "development_plan", "item_id": "development_plan_item", "certificate_id": "external_certificate",
    "session_id": "training_session", "record_id": "learning_record", "assessment_id": "talent_assessment",
}

# Integer primary keys are INTEGER (32 bits) on PostgreSQL and MariaDB.
MAX_ID = 2**31 - 1
# Numbers beyond every integer type of the databases (and of SQLite's 64-bit INTEGER).
OUT_OF_RANGE = [2**31, 2**63, 10**20]


def database_dialect():
    """"sqlite", "postgresql" or "mysql": the database this test run uses (tests/conftest.py)."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or "sqlite://"
    return url.split(":", 1)[0].split("+", 1)[0]


def once_per_ci_run():
    """A skip mark for checks that do not depend on the database (template escaping, links,
    accessibility): CI runs the suite on three databases, these run in the SQLite run only,
    unless CAPAIAN_BROWSER_ALL_DATABASES=1."""
    everywhere = os.environ.get("CAPAIAN_BROWSER_ALL_DATABASES") == "1"
    return pytest.mark.skipif(database_dialect() != "sqlite" and not everywhere,
                              reason="does not depend on the database: runs in the SQLite run of the suite")


def routes(app, methods=None):
    """(rule, method) for every rule of the URL map (HEAD and OPTIONS left out)."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if methods is None or method in methods:
                out.append((rule, method))
    return sorted(out, key=lambda rm: (rm[0].rule, rm[1]))


def build_url(rule, values):
    return rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]


def sample_values(world):
    """One value per known URL argument (the permission matrix's ARGS)."""
    from tests.test_permission_matrix import ARGS
    return {name: make(world) for name, make in ARGS.items()}


def is_self_service(declared) -> bool:
    """Public routes and routes for every signed-in user act on the caller themselves."""
    return bool(declared) and bool({PUBLIC, AUTHENTICATED} & set(declared))


def route_allows(app, endpoint, user) -> bool:
    """May ``user`` (None: anonymous) pass the route's declaration? Derived from the user's roles."""
    declared = access_of(endpoint, app)
    if declared is None:
        return False
    if PUBLIC in declared:
        return True
    if user is None:
        return False
    return AUTHENTICATED in declared or bool(user.role_set() & set(declared))


def model_for_argument(name):
    """The mapped class behind a URL argument such as ``employee_id`` (None when unknown)."""
    if not name.endswith("_id"):
        return None
    stem = ARGUMENT_TABLES.get(name, name[:-3])
    classes = {getattr(m.class_, "__tablename__", None): m.class_ for m in db.Model.registry.mappers}
    if stem in classes:
        return classes[stem]
    endings = [cls for table, cls in classes.items() if table and table.endswith(f"_{stem}")]
    return endings[0] if len(endings) == 1 else None


def all_ids(model):
    return list(db.session.scalars(sa.select(model.id).order_by(model.id)))


def missing_id(model):
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 100_000


def object_routes(app):
    """(rule, method, {argument: model}) for every route with at least one object id."""
    out = []
    for rule, method in routes(app):
        models = {a: model_for_argument(a) for a in rule.arguments}
        models = {a: m for a, m in models.items() if m is not None}
        if models:
            out.append((rule, method, models))
    return out


def _link(child_model, parent_model):
    """The column of ``child_model`` that refers to ``parent_model``'s table, if any."""
    for fk in child_model.__table__.foreign_keys:
        if fk.column.table is parent_model.__table__:
            return fk.parent.name
    return None


def id_combinations(models, limit=None):
    """Argument values to try: existing objects (at most ``limit``), consistent with the other
    arguments, plus a missing id per argument and, where objects nest (a position in its unit),
    a mismatched pair.

    Yields (values, kind) with kind "ok", "missing" or "mismatch".
    """
    names = list(models)
    ids = {n: all_ids(models[n]) for n in names}
    # Several arguments: iterate the most specific object (the one referring to the others).
    child = next((n for n in names if all(_link(models[n], models[o]) for o in names if o != n)), None)
    parents = [n for n in names if n != child] if child is not None else []
    if len(names) == 1:
        ok = [{names[0]: i} for i in ids[names[0]]]
    elif child is None:  # unrelated objects: every combination
        ok = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*ids.values())]
    else:
        ok = [{child: obj.id, **{p: getattr(obj, _link(models[child], models[p])) for p in parents}}
              for obj in db.session.scalars(sa.select(models[child]).order_by(models[child].id))]
    for values in ok[:limit]:
        yield values, "ok"
        for p in parents:
            other = next((i for i in ids[p] if i != values[p]), None)
            if other is not None:
                yield {**values, p: other}, "mismatch"
    first = {n: (ids[n] or [missing_id(models[n])])[0] for n in names}
    for name in names:
        yield {**first, name: missing_id(models[name])}, "missing"


def sample_urls(app, rule, values, limit=3):
    """URLs of a rule: with up to ``limit`` existing objects for its id arguments, else ``values``."""
    models = {a: m for a in rule.arguments if (m := model_for_argument(a))}
    if not models:
        return [build_url(rule, values)]
    combos = [v for v, kind in id_combinations(models) if kind == "ok"][:limit]
    return [build_url(rule, {**values, **v}) for v in combos] or [build_url(rule, values)]


def table_counts():
    """Rows per table: what a request that must change nothing must leave as it was."""
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables}


@contextmanager
def rolled_back(session=None):
    """Run a block in a savepoint of the test transaction, then undo whatever it wrote.

    Requests made by the test client inside the block use their own sessions on the same
    connection (see tests/conftest.py), so their commits are undone too.
    """
    session = session or db.session
    savepoint = session.begin_nested()
    session.connection()  # start the savepoint now: a lazy one would begin after the request's writes
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()
        session.expire_all()


class WriteRecorder:
    """Records data-changing SQL statements run through the engine while ``active``."""

    def __init__(self, engine):
        self.engine = engine
        self.statements = []
        self.active = False

    def _listen(self, conn, cursor, statement, parameters, context, executemany):
        if self.active and WRITE.match(statement):
            self.statements.append(" ".join(statement.split())[:200])

    @contextmanager
    def recording(self):
        self.statements = []
        self.active = True
        try:
            yield self.statements
        finally:
            self.active = False

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._listen)


def match_endpoint(app, url, method="POST"):
    """(endpoint, arguments) of a same-origin URL, or (None, None)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None, None
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(parts.path, method=method)
    except HTTPException:
        return None, None


# --- HTML forms ---------------------------------------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    enctype: str = ""
    inputs: list = field(default_factory=list)      # (name, value, type) of text-like inputs
    checks: list = field(default_factory=list)      # (name, value, checked)
    selects: dict = field(default_factory=dict)     # name → [(value, selected)]
    buttons: list = field(default_factory=list)     # (name, value) of named submit buttons

    @property
    def names(self):
        names = [n for n, _v, _t in self.inputs] + [n for n, _v, _c in self.checks]
        names += list(self.selects) + [n for n, _v in self.buttons]
        return list(dict.fromkeys(n for n in names if n and n != "csrf_token"))

    @property
    def file_fields(self):
        return [n for n, _v, t in self.inputs if t == "file"]

    def values(self, *, with_token=False):
        """The data a browser would post when the form's first named button is pressed."""
        data = []
        for name, value, kind in self.inputs:
            if kind == "file" or (name == "csrf_token" and not with_token):
                continue
            data.append((name, value))
        data += [(n, v or "on") for n, v, checked in self.checks if checked]
        for name, options in self.selects.items():
            chosen = [v for v, selected in options if selected] or [v for v, _s in options[:1]]
            data += [(name, v) for v in chosen[:1]]
        data += self.buttons[:1]
        return data

    @property
    def token(self):
        return next((v for n, v, _t in self.inputs if n == "csrf_token"), None)


class _FormParser(HTMLParser):
    def __init__(self, base_url):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = Form(urljoin(self.base_url, a.get("action") or self.base_url), method,
                              a.get("enctype", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._option = [a.get("value"), "selected" in a, ""]
                self._select.append(self._option)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.checks.append((name, a.get("value", "on"), "checked" in a))
            elif kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind not in ("reset", "button"):
                form.inputs.append((name, a.get("value", ""), kind))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = form.selects.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._select[:] = [((v if v is not None else text.strip()), sel) for v, sel, text in self._select]
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.inputs.append((self._textarea[0], self._textarea[1].lstrip("\n"), "textarea"))
            self._textarea = None


def parse_forms(html, base_url="http://localhost/"):
    parser = _FormParser(base_url)
    parser.feed(html)
    return parser.forms


def form_catalogue(app, client, values):
    """Every POST form on every GET page, by the endpoint it posts to.

    Pages are opened with up to three existing objects per id argument (else ARGS values).

    Returns {endpoint: [(url, Form), ...]}; the URL is the form's own action, so it names a real
    object. ``client`` should be allowed to see as much as possible (a superadmin).
    """
    catalogue = {}
    for rule, _method in routes(app, {"GET"}):
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        for url in sample_urls(app, rule, values):
            for endpoint, action, form in _forms_on(app, client, url):
                catalogue.setdefault(endpoint, []).append((action, form))
    return catalogue


def _forms_on(app, client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in (response.content_type or ""):
        return []
    out = []
    for form in parse_forms(response.get_data(as_text=True), urljoin("http://localhost/", url)):
        endpoint, _args = match_endpoint(app, form.action)
        if form.method == "post" and endpoint:
            path = urlsplit(form.action)
            out.append((endpoint, path.path + (f"?{path.query}" if path.query else ""), form))
    return out


def find_form(app, client, values, endpoint):
    """The first (url, Form) that posts to ``endpoint``, or None.

    Looks where such a form usually is first: the endpoint's own GET page, then pages of the
    same blueprint, then everything else.
    """
    blueprint = endpoint.rsplit(".", 1)[0]

    def order(rule):
        return (rule.endpoint != endpoint, rule.endpoint.rsplit(".", 1)[0] != blueprint, rule.rule)

    candidates = [r for r, _m in routes(app, {"GET"}) if r.endpoint != "static" and not r.endpoint.endswith(".static")]
    for rule in sorted(candidates, key=order):
        for url in sample_urls(app, rule, values):
            for found, action, form in _forms_on(app, client, url):
                if found == endpoint:
                    return action, form
    return None
