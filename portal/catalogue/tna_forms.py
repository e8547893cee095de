"""The filters of the training needs analysis (read from the query string)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from portal.catalogue import tna_services as services
from portal.catalogue.models import ProgrammeForm
from portal.core.forms import BaseForm, choice_list, coerce_int

YEARS_BACK, YEARS_AHEAD = 3, 1


def year_choices(today: date | None = None):
    this_year = (today or date.today()).year
    return [(y, str(y)) for y in range(this_year + YEARS_AHEAD, this_year - YEARS_BACK - 1, -1)]


def coerce_year(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 2000 <= number <= 2100 else None


class AnalysisFilterForm(BaseForm):
    class Meta:
        csrf = False

    tahun = SelectField(_l("Tahun"), coerce=coerce_year, validate_choice=False)
    opd = SelectField(_l("OPD"), coerce=coerce_int, validate_choice=False)
    sumber = SelectField(_l("Sumber kebutuhan"), validate_choice=False)
    bentuk = SelectField(_l("Bentuk pengembangan"), validate_choice=False)
    urut = SelectField(_l("Urutkan"), validate_choice=False)
    lihat = SelectField(_l("Tampilan"), validate_choice=False)

    def fill(self, opds):
        """Offer the choices and read the filters; anything not offered falls back to the default."""
        years = year_choices()
        self.tahun.choices = choice_list(years)
        if self.tahun.data not in dict(years):
            self.tahun.data = date.today().year
        self.opd.choices = choice_list([("", _l("Semua OPD")), *((o.id, o.name) for o in opds)])
        if self.opd.data not in {o.id for o in opds}:
            self.opd.data = None
        sources = services.source_choices()
        self.sumber.choices = choice_list(sources)
        if self.sumber.data not in dict(sources):
            self.sumber.data = ""
        forms = [("", _l("Semua bentuk")), *ProgrammeForm.choices()]
        self.bentuk.choices = choice_list(forms)
        if self.bentuk.data not in dict(forms):
            self.bentuk.data = ""
        self.urut.choices = choice_list(list(services.SORTS.items()))
        if self.urut.data not in services.SORTS:
            self.urut.data = "pegawai"
        self.lihat.choices = choice_list(list(services.VIEWS.items()))
        if self.lihat.data not in services.VIEWS:
            self.lihat.data = "program"

    def filters(self) -> services.Filters:
        return services.Filters(year=self.tahun.data, opd_id=self.opd.data, source=self.sumber.data or "",
                                form=ProgrammeForm(self.bentuk.data) if self.bentuk.data else None,
                                sort=self.urut.data)


def analysis_filters(args, user):
    """The filter form read from ``args`` with its choices for ``user``, and the Filters."""
    form = AnalysisFilterForm(args)
    form.fill(services.opd_choices(user))
    return form, form.filters()
