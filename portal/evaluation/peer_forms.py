"""Forms of the masukan rekan kerja (360) pages."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.evaluation.models import Rating
from portal.evaluation.peer_services import MAX_NOTE, MAX_PEERS
from portal.plans.models import CoreValue

_max = _l("Paling banyak %(max)d karakter.")


class PeerRequestForm(BaseForm):
    peers = SelectMultipleField(_l("Rekan kerja yang dimintai masukan"), coerce=coerce_int,
                                validate_choice=False)

    def validate_peers(self, field):
        ids = [i for i in dict.fromkeys(field.data or []) if i is not None]
        if not ids:
            raise ValidationError(_l("Pilih paling sedikit satu rekan kerja."))
        if len(ids) > MAX_PEERS:
            raise ValidationError(_l("Paling banyak %(n)s rekan kerja per evaluasi.", n=MAX_PEERS))
        field.data = ids


def _rating(form, field):
    try:
        Rating(field.data)
    except ValueError:
        field.data = None
        raise ValidationError(_l("Pilih salah satu rating.")) from None


class PeerAnswerForm(BaseForm):
    """One rating (required) and one short note per BerAKHLAK value: ``rating_<value>``,
    ``note_<value>`` (fields are added below, one pair per value)."""

    def rows(self):
        return [(value, self[f"rating_{value.value}"], self[f"note_{value.value}"]) for value in CoreValue]

    def answers(self) -> dict:
        return {value: (rating.data, note.data or "") for value, rating, note in self.rows()}


for _value in CoreValue:
    setattr(PeerAnswerForm, f"rating_{_value.value}", RadioField(
        _value.title, choices=choice_list(Rating.choices()), validate_choice=False,
        validators=[DataRequired(_l("Pilih rating untuk nilai ini.")), _rating]))
    setattr(PeerAnswerForm, f"note_{_value.value}", TextAreaField(
        _l("Catatan singkat (opsional)"), validators=[Optional(), Length(max=MAX_NOTE, message=_max)],
        render_kw={"rows": 2, "maxlength": MAX_NOTE}))
del _value


class PeerDeclineForm(BaseForm):
    reason = TextAreaField(_l("Alasan menolak (opsional)"), validators=[
        Optional(), Length(max=MAX_NOTE, message=_max)], render_kw={"rows": 2, "maxlength": MAX_NOTE})
