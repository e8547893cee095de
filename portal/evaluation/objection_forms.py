"""Forms of the keberatan pages: filing, deciding, and the list's filters."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.core.forms import BaseForm, choice_list
from portal.evaluation.models import ObjectionStatus, Rating
from portal.evaluation.services import MAX_OBJECTION

_max = _l("Paling banyak %(max)d karakter.")

UPHOLD, CHANGE = "pertahankan", "ubah"

# The list's tabs: where the user decides, what the user filed, and (BKPSDM) everything.
TAB_DECIDE, TAB_MINE, TAB_ALL = "perlu-diputuskan", "keberatan-saya", "semua"
ALL_STATUSES = "semua"


def optional_rating(form, field):
    """A rating, when one is given, must be one of the three."""
    if field.data in (None, ""):
        field.data = None
        return
    try:
        Rating(field.data)
    except ValueError:
        field.data = None
        raise ValidationError(_l("Pilih salah satu rating.")) from None


class ObjectionForm(BaseForm):
    reason = TextAreaField(_l("Alasan keberatan"), validators=[
        DataRequired(_l("Tuliskan alasan keberatan.")), Length(max=MAX_OBJECTION, message=_max)],
        render_kw={"rows": 6, "maxlength": MAX_OBJECTION})


class DecisionForm(BaseForm):
    decision = RadioField(_l("Keputusan"), choices=choice_list([
        (UPHOLD, _l("Pertahankan predikat")), (CHANGE, _l("Ubah predikat"))]),
        validate_choice=False, validators=[DataRequired(_l("Pilih keputusan: pertahankan atau ubah predikat."))])
    hasil_rating = RadioField(_l("Rating hasil kerja"), choices=choice_list(Rating.choices()),
                              validate_choice=False, validators=[optional_rating])
    perilaku_rating = RadioField(_l("Rating perilaku kerja"), choices=choice_list(Rating.choices()),
                                 validate_choice=False, validators=[optional_rating])
    reason = TextAreaField(_l("Alasan keputusan"), validators=[
        DataRequired(_l("Tuliskan alasan keputusan.")), Length(max=MAX_OBJECTION, message=_max)],
        render_kw={"rows": 4, "maxlength": MAX_OBJECTION})

    def validate_decision(self, field):
        if field.data not in (UPHOLD, CHANGE):
            field.data = None
            raise ValidationError(_l("Pilih keputusan: pertahankan atau ubah predikat."))

    @property
    def upholds(self) -> bool:
        return self.decision.data == UPHOLD


class ObjectionFilterForm(BaseForm):
    class Meta:
        csrf = False

    tampil = HiddenField()
    status = SelectField(_l("Status"), validate_choice=False, choices=choice_list(
        [(ALL_STATUSES, _l("Semua status"))] + ObjectionStatus.choices()))

    def validate_status(self, field):
        if field.data not in {ALL_STATUSES, *(s.value for s in ObjectionStatus)}:
            field.data = None
