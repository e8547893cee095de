"""Forms of the team evaluation and organisational capaian pages."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.evaluation.models import OrgPredicate, Rating


def coerce_key(value):
    """A period_key from a query string or form: 0 (the year) to 12, anything else None."""
    try:
        number = int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 <= number <= 12 else None


class PeriodFilterForm(BaseForm):
    """The period picker: a year and one of its sub-periods or the year itself."""

    class Meta:
        csrf = False

    tahun = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False)
    periode = SelectField(_l("Periode penilaian"), coerce=coerce_key, validate_choice=False)

    def fill(self, periods, period, period_key, keys):
        """Offer ``periods`` and the chosen period's ``keys`` (pairs), with the choice shown."""
        self.tahun.choices = choice_list([(p.year, str(p.year)) for p in periods])
        self.periode.choices = choice_list(keys)
        self.tahun.data = period.year if period is not None else None
        self.periode.data = period_key


def period_filters(form_class, args):
    """The period picker read from a query string: (form, period or None, period_key)."""
    from portal.evaluation import org_services
    filters = form_class(args)
    filters.validate()
    periods = org_services.all_periods()
    period, period_key = org_services.pick_period(periods, filters.tahun.data, filters.periode.data)
    filters.fill(periods, period, period_key, org_services.period_keys(period) if period is not None else [])
    return filters, period, period_key


class UnitFilterForm(PeriodFilterForm):
    q = StringField(_l("Cari unit kerja"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})


_PREDICATE = _l("Pilih salah satu capaian kinerja organisasi.")


class OrgAssessmentForm(BaseForm):
    """One unit's capaian kinerja organisasi for a period (a row of the unit list)."""

    period_id = HiddenField(filters=[coerce_int])
    period_key = HiddenField(filters=[coerce_key])
    predicate = SelectField(_l("Capaian kinerja organisasi"), validate_choice=False,
                            choices=choice_list([("", _l("Pilih capaian")), *OrgPredicate.choices()]),
                            validators=[InputRequired(_PREDICATE),
                                        AnyOf([p.value for p in OrgPredicate], message=_PREDICATE)])
    note = StringField(_l("Catatan (opsional)"), validators=[
        Optional(), Length(max=500, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"maxlength": 500, "autocomplete": "off"})


_RATING = _l("Pilih salah satu rating yang tersedia.")
_RATINGS = ["", *(r.value for r in Rating)]


class RatingRowForm(BaseForm):
    """The two ratings of a team row (hasil kerja, perilaku kerja); either may stay empty.

    No lock version: the row writes only these two ratings and keeps every other field as it is
    when the request arrives, and a quick second choice replaces the request of the first one.
    """

    hasil_rating = SelectField(_l("Hasil kerja"), validate_choice=False,
                               choices=choice_list([("", _l("Belum dinilai")), *Rating.choices()]),
                               validators=[Optional(), AnyOf(_RATINGS, message=_RATING)])
    perilaku_rating = SelectField(_l("Perilaku kerja"), validate_choice=False,
                                  choices=choice_list([("", _l("Belum dinilai")), *Rating.choices()]),
                                  validators=[Optional(), AnyOf(_RATINGS, message=_RATING)])
