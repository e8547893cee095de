"""Forms of the SKP pages. Every edit form carries the plan's lock_version (see plan_services)."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.plans.models import Aggregation, Aspect, CoreValue, Direction, Measure, PlanApproach, PlanStatus, ResultKind

_req = lambda label: DataRequired(_l("%(field)s wajib diisi.", field=label))  # noqa: E731


class PlanFilterForm(BaseForm):
    """GET filters of the SKP list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari nama atau NIP"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off", "placeholder": _l("Ketik nama atau NIP…")})
    year = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=choice_list([("", _l("Semua status"))] + PlanStatus.choices()))


class NewPlanForm(BaseForm):
    period = SelectField(_l("Tahun"), coerce=coerce_int, validators=[_req(_l("Tahun"))])
    start_from = RadioField(_l("Mulai dari"), default="", validate_choice=True, choices=choice_list([
        ("", _l("SKP kosong")),
        ("previous_year", _l("Salin SKP tahun lalu (RHK, IKI, target, lampiran)")),
        ("supervisor", _l("Turunkan dari RHK atasan (satu RHK per RHK atasan)")),
    ]))


class LockedForm(BaseForm):
    lock_version = HiddenField()


class HeaderForm(LockedForm):
    approach = SelectField(_l("Pendekatan"), choices=choice_list(PlanApproach.choices()),
                           validators=[DataRequired()])


class ResultForm(LockedForm):
    kind = SelectField(_l("Jenis RHK"), choices=choice_list(ResultKind.choices()), validators=[DataRequired()])
    text = TextAreaField(_l("Rencana hasil kerja (RHK)"), validators=[
        _req(_l("Rencana hasil kerja")), Length(max=1000)], render_kw={"rows": 2})
    intervention = SelectField(_l("RHK pimpinan / butir yang diintervensi"), validate_choice=False)


class IndicatorForm(LockedForm):
    aspect = SelectField(_l("Aspek"), choices=choice_list(Aspect.choices()), validators=[DataRequired()])
    text = TextAreaField(_l("Indikator kinerja individu (IKI)"), validators=[
        _req(_l("Indikator kinerja individu")), Length(max=1000)], render_kw={"rows": 2})
    measure = RadioField(_l("Ukuran target"), choices=choice_list(Measure.choices()), default=Measure.NUMERIC.value,
                         validators=[DataRequired(_l("Pilih jenis ukuran target."))])
    target_value = StringField(_l("Target (angka)"), validators=[Optional(), Length(max=40)],
                               render_kw={"inputmode": "decimal", "autocomplete": "off"})
    target_unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)],
                              render_kw={"placeholder": _l("mis. dokumen, %, hari")})
    direction = SelectField(_l("Arah"), choices=choice_list(Direction.choices()), default=Direction.HIGHER.value,
                            validators=[Optional()])
    aggregation = SelectField(_l("Realisasi bulanan"), choices=choice_list(Aggregation.choices()),
                              default=Aggregation.SUM.value, validators=[Optional()])
    target_text = TextAreaField(_l("Ukuran keberhasilan (deskriptif)"), validators=[Optional(), Length(max=1000)],
                                render_kw={"rows": 2})


class AspectForm(LockedForm):
    aspect = SelectField(_l("Aspek"), choices=choice_list(Aspect.choices()), validators=[DataRequired()])


class AttachmentForm(LockedForm):
    resources = TextAreaField(_l("Dukungan sumber daya"), validators=[Optional(), Length(max=5000)],
                              render_kw={"rows": 3})
    accountability = TextAreaField(_l("Skema pertanggungjawaban"), validators=[Optional(), Length(max=5000)],
                                   render_kw={"rows": 3})
    consequences = TextAreaField(_l("Konsekuensi"), validators=[Optional(), Length(max=5000)],
                                 render_kw={"rows": 3})


class ExpectationForm(LockedForm):
    """One text area per BerAKHLAK value: fields ``expectation_<value>``."""


for _value in CoreValue:
    setattr(ExpectationForm, f"expectation_{_value.value}", TextAreaField(
        _value.title, validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}))


class ReturnForm(LockedForm):
    reason = TextAreaField(_l("Alasan pengembalian"), validators=[
        _req(_l("Alasan pengembalian")), Length(max=1000)], render_kw={"rows": 3})


class CommentForm(BaseForm):
    body = TextAreaField(_l("Pesan"), validators=[_req(_l("Pesan")), Length(max=5000)], render_kw={"rows": 3})


class WorkflowForm(LockedForm):
    """Submit, approve, revise: only the CSRF token (and lock_version)."""
