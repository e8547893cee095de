"""Navigation that follows the user's roles: only what the user may open is shown."""
from dataclasses import dataclass

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


NAV = [
    ("core.index", _l("Beranda")),
    ("performance.my_performance", _l("Kinerja saya")),
    ("performance.inbox", _l("Persetujuan")),
    ("activities.list_entries", _l("Laporan harian")),
    ("teams.list_teams", _l("Tim kerja")),
    ("periods.list_periods", _l("Periode kinerja")),
    ("people.list_employees", _l("Pegawai")),
    ("units.list_units", _l("Unit kerja")),
    ("imports.new_import", _l("Impor SIASN")),
    ("accounts.list_accounts", _l("Akun & peran")),
    ("audit.list_entries", _l("Jejak audit")),
]


def navigation(user):
    items = []
    for endpoint, label in NAV:
        if endpoint in current_app.view_functions and user_may(user, access_of(endpoint)):
            items.append(NavItem(endpoint, label))
    return items
