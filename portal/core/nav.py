"""Navigation that follows the user's roles: only what the user may open is shown."""
from dataclasses import dataclass, field

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from portal.core.permissions import access_of, user_may


@dataclass
class NavItem:
    endpoint: str
    label: str

    @property
    def url(self):
        return url_for(self.endpoint)

    @property
    def active(self):
        return (request.endpoint or "").split(".")[0] == self.endpoint.split(".")[0]


@dataclass
class NavGroup:
    """A dropdown of related pages; ``blueprints`` are the modules whose pages light it up."""

    label: str
    items: list = field(default_factory=list)
    blueprints: tuple = ()

    @property
    def active(self):
        current = (request.endpoint or "").split(".")[0]
        return current in self.blueprints or any(item.active for item in self.items)


# An entry is (endpoint, label), (endpoint, label, config flag that must be on) or a group:
# (label, [entries], extra blueprints that belong to it).
NAV = [
    ("core.index", _l("Beranda")),
    (_l("Kinerja"), [
        ("performance.my_performance", _l("Kinerja saya")),
        ("plans.list_plans", _l("SKP")),
        ("performance.inbox", _l("Persetujuan")),
        ("activities.list_entries", _l("Laporan harian"), "DAILY_LOG_ENABLED"),
        ("teams.list_teams", _l("Tim kerja")),
        ("periods.list_periods", _l("Periode kinerja")),
    ], ("realisations", "documents", "targets")),
    (_l("Evaluasi"), [
        ("evaluation.list_evaluations", _l("Evaluasi kinerja")),
        ("team_evaluations.show_team", _l("Evaluasi tim")),
        ("objections.list_objections", _l("Keberatan")),
        ("peer_input.list_requests", _l("Masukan rekan")),
        ("org_capaian.list_units", _l("Capaian organisasi")),
        ("feedback.list_units", _l("Survei kepuasan (IKM)")),
    ], ("evaluation_documents",)),
    (_l("Pengembangan"), [
        ("catalogue.list_programmes", _l("Katalog pelatihan")),
        ("recommendations.my_recommendations", _l("Rekomendasi untuk saya")),
        ("idp.my_plan", _l("Rencana pengembangan (IDP)")),
        ("idp.approval_inbox", _l("Persetujuan IDP")),
        ("learning.my_ledger", _l("Jam pelajaran saya")),
        ("learning.verification_queue", _l("Verifikasi sertifikat")),
        ("programme_admin.list_programmes", _l("Kelola katalog")),
        ("competencies.list_competencies", _l("Kamus kompetensi")),
        ("talent.show_grid", _l("Talenta (9-box)")),
        ("training_needs.show_analysis", _l("Analisis kebutuhan pelatihan")),
    ], ()),
    ("people.list_employees", _l("Pegawai")),
    ("units.list_units", _l("Unit kerja")),
    ("imports.new_import", _l("Impor SIASN")),
    ("accounts.list_accounts", _l("Akun & peran")),
    ("audit.list_entries", _l("Jejak audit")),
]


def _entry_item(user, entry):
    endpoint, label, *flag = entry
    if flag and not current_app.config.get(flag[0]):
        return None
    if endpoint in current_app.view_functions and user_may(user, access_of(endpoint)):
        return NavItem(endpoint, label)
    return None


def nav_endpoints():
    """Every endpoint the navigation can show (groups flattened)."""
    out = []
    for entry in NAV:
        if isinstance(entry[1], list):
            out.extend(e[0] for e in entry[1])
        else:
            out.append(entry[0])
    return out


def navigation(user):
    items = []
    for entry in NAV:
        if isinstance(entry[1], list):
            label, entries, blueprints = entry
            children = [item for e in entries if (item := _entry_item(user, e))]
            if children:
                items.append(NavGroup(label, children, blueprints))
        elif item := _entry_item(user, entry):
            items.append(item)
    return items
