"""Forms of the period and Perjanjian Kinerja pages."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.plans.models import SubperiodLength

_req = lambda label: DataRequired(_l("%(field)s wajib diisi.", field=label))  # noqa: E731


class PeriodForm(BaseForm):
    year = IntegerField(_l("Tahun"), default=lambda: date.today().year + 1, validators=[
        DataRequired(_l("Tahun wajib diisi dengan angka.")),
        NumberRange(min=2000, max=2100, message=_l("Tahun harus antara 2000 dan 2100."))],
        render_kw={"inputmode": "numeric"})
    subperiod_length = SelectField(_l("Evaluasi periodik"), choices=choice_list(SubperiodLength.choices()),
                                   validators=[DataRequired()])


class TargetFilterForm(BaseForm):
    """GET filters of the Perjanjian Kinerja page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit kerja (OPD)"), coerce=coerce_int, validate_choice=False)
    year = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False)


class TargetForm(BaseForm):
    goal = TextAreaField(_l("Sasaran strategis"), validators=[_req(_l("Sasaran strategis")), Length(max=500)],
                         render_kw={"rows": 2})
    indicator = TextAreaField(_l("Indikator kinerja"), validators=[_req(_l("Indikator kinerja")), Length(max=500)],
                              render_kw={"rows": 2})
    target = StringField(_l("Target"), validators=[_req(_l("Target")), Length(max=120)],
                         render_kw={"placeholder": _l("mis. 95 % atau 12 dokumen")})

