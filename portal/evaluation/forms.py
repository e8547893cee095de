"""Forms of the evaluation page.

The evaluation form has fixed fields for the two ratings, their texts, the lock and one rating
and note per BerAKHLAK value (``rating_<value>``, ``note_<value>``). The penilai's umpan balik
per IKI depends on the plan, so those textareas are named ``iki_<indicator id>`` and read by
``indicator_notes``.
"""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.core.forms import BaseForm, choice_list
from portal.evaluation.models import Rating
from portal.plans.models import CoreValue

MAX_TEXT = 2000


def _ratings():
    return choice_list(Rating.choices())


class EvaluationForm(BaseForm):
    hasil_rating = RadioField(_l("Rating hasil kerja"), choices=_ratings(), validators=[Optional()])
    hasil_reason = TextAreaField(_l("Alasan rating hasil kerja (opsional)"),
                                 validators=[Optional(), Length(max=MAX_TEXT)])
    perilaku_rating = RadioField(_l("Rating perilaku kerja"), choices=_ratings(), validators=[Optional()])
    perilaku_note = TextAreaField(_l("Catatan perilaku kerja (opsional)"),
                                  validators=[Optional(), Length(max=MAX_TEXT)])
    lock_version = HiddenField()

    def behaviour_fields(self, value: CoreValue):
        """(rating field, note field) of one BerAKHLAK value."""
        return self[f"rating_{value.value}"], self[f"note_{value.value}"]

    def behaviours(self) -> dict:
        """{CoreValue: (Rating or None, note)} as ``services.save_evaluation`` takes them."""
        out = {}
        for value in CoreValue:
            rating, note = self.behaviour_fields(value)
            out[value] = (Rating.coerce(rating.data or None), note.data or "")
        return out


for _value in CoreValue:
    setattr(EvaluationForm, f"rating_{_value.value}", SelectField(
        _l("Rating %(value)s", value=_value.title),
        choices=choice_list([("", _l("— belum dinilai —")), *Rating.choices()]), validators=[Optional()]))
    setattr(EvaluationForm, f"note_{_value.value}", TextAreaField(
        _l("Catatan %(value)s", value=_value.title), validators=[Optional(), Length(max=MAX_TEXT)]))
del _value


def indicator_notes(form_data, indicator_ids) -> dict:
    """{indicator id: text} for the IKIs whose textarea was posted (others are left as they are)."""
    return {i: (form_data.get(f"iki_{i}") or "").strip() for i in indicator_ids if f"iki_{i}" in form_data}


def lock_value(raw, existed: bool):
    """The lock version the form carried: None when the form was for a new evaluation and none
    exists yet; 0 (never current) when it was for a new one but another tab created it since,
    or for anything that is not a number."""
    if raw in (None, ""):
        return 0 if existed else None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
