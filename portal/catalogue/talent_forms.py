"""Forms of the talent pages: the grid and list filters, one employee's potential, the CSV import."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from portal.catalogue.models import Potential
from portal.catalogue.tna_forms import coerce_year, year_choices
from portal.core.forms import BaseForm, choice_list, coerce_int


def coerce_box(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None


class _YearOpdFilter(BaseForm):
    class Meta:
        csrf = False

    tahun = SelectField(_l("Tahun"), coerce=coerce_year, validate_choice=False)
    opd = SelectField(_l("OPD"), coerce=coerce_int, validate_choice=False)

    def fill(self, opds):
        """Offer the choices; anything not offered falls back to the default."""
        years = year_choices()
        self.tahun.choices = choice_list(years)
        if self.tahun.data not in dict(years):
            self.tahun.data = date.today().year
        self.opd.choices = choice_list([("", _l("Semua OPD")), *((o.id, o.name) for o in opds)])
        if self.opd.data not in {o.id for o in opds}:
            self.opd.data = None
        return self


class GridFilterForm(_YearOpdFilter):
    kotak = HiddenField(filters=[coerce_box])


class PotentialFilterForm(_YearOpdFilter):
    q = StringField(_l("Cari nama atau NIP"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})


_POTENTIAL = _l("Pilih potensial: rendah, menengah atau tinggi.")


class PotentialForm(BaseForm):
    """One employee's potential for a year (a row of the recording list)."""

    tahun = HiddenField(filters=[coerce_year])
    potential = SelectField(_l("Potensial"), validate_choice=False,
                            choices=choice_list([("", _l("Belum dinilai")), *Potential.choices()]),
                            validators=[InputRequired(_POTENTIAL), AnyOf([p.value for p in Potential], message=_POTENTIAL)])
    note = StringField(_l("Catatan (opsional)"), validators=[
        Optional(), Length(max=1000, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"maxlength": 1000, "autocomplete": "off"})


class PotentialImportForm(BaseForm):
    tahun = SelectField(_l("Tahun penilaian"), coerce=coerce_year, validate_choice=False)
    file = FileField(_l("Berkas CSV (nip, potensial, catatan)"), validators=[
        FileRequired(_l("Pilih berkas CSV yang akan diimpor.")),
        FileAllowed(["csv"], _l("Hanya berkas .csv yang dapat diimpor."))])

    def fill(self):
        years = year_choices()
        self.tahun.choices = choice_list(years)
        if self.tahun.data not in dict(years):
            self.tahun.data = date.today().year
        return self
