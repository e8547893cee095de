"""Forms of the IDP pages: an activity outside the catalogue, an item's edit, submitting and deciding."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.catalogue.idp_services import MAX_JP, MAX_NOTE, MAX_RETURN_REASON, MAX_TITLE
from portal.catalogue.models import IdpItemStatus, ProgrammeForm
from portal.core.forms import BaseForm, choice_list

_max = _l("Paling banyak %(max)d karakter.")

# What an employee plans outside the catalogue: mostly non-classical learning, plus the few
# classical forms people attend on their own (a seminar, a workshop, a course).
ACTIVITY_FORMS = {
    _l("Nonklasikal"): [ProgrammeForm.COACHING, ProgrammeForm.MENTORING, ProgrammeForm.INTERNSHIP,
                        ProgrammeForm.SECONDMENT, ProgrammeForm.ON_THE_JOB, ProgrammeForm.BENCHMARKING,
                        ProgrammeForm.EXCHANGE, ProgrammeForm.COMMUNITY, ProgrammeForm.SELF_STUDY,
                        ProgrammeForm.OUTBOUND, ProgrammeForm.E_LEARNING, ProgrammeForm.DISTANCE],
    _l("Klasikal lainnya (di luar katalog)"): [ProgrammeForm.SEMINAR, ProgrammeForm.WORKSHOP, ProgrammeForm.COURSE],
}
ACTIVITY_FORM_VALUES = {f.value for forms in ACTIVITY_FORMS.values() for f in forms}

APPROVE, RETURN = "setujui", "kembalikan"


def _form_choices():
    return {group: choice_list([(f.value, f.title) for f in forms]) for group, forms in ACTIVITY_FORMS.items()}


class _ItemFields(BaseForm):
    target_date = DateField(_l("Tanggal target"), validators=[Optional()],
                            description=_l("Dalam tahun rencana."))
    jp_planned = IntegerField(_l("JP direncanakan"), validators=[
        Optional(), NumberRange(min=0, max=MAX_JP, message=_l("JP antara %(min)s dan %(max)s."))],
        render_kw={"min": 0, "max": MAX_JP, "inputmode": "numeric"})
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=MAX_NOTE, message=_max)],
                         render_kw={"rows": 3, "maxlength": MAX_NOTE})


class ActivityForm(_ItemFields):
    """A non-classical activity (or a classical one outside the catalogue) added to the plan."""

    form = SelectField(_l("Bentuk kegiatan"), validators=[DataRequired(_l("Pilih bentuk kegiatan."))],
                       validate_choice=False)
    title = StringField(_l("Nama kegiatan"), validators=[
        DataRequired(_l("Tuliskan nama kegiatan.")), Length(max=MAX_TITLE, message=_max)],
        render_kw={"maxlength": MAX_TITLE})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.choices = _form_choices()

    def validate_form(self, field):
        if field.data not in ACTIVITY_FORM_VALUES:
            field.data = None
            raise ValidationError(_l("Pilih bentuk kegiatan."))

    @property
    def programme_form(self) -> ProgrammeForm:
        return ProgrammeForm(self.form.data)


class ItemForm(_ItemFields):
    """Editing an item; the title only for activities outside the catalogue (see the view)."""

    title = StringField(_l("Nama kegiatan"), validators=[Optional(), Length(max=MAX_TITLE, message=_max)],
                        render_kw={"maxlength": MAX_TITLE})


class ItemStatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])

    def validate_status(self, field):
        if field.data not in {s.value for s in IdpItemStatus}:
            raise ValidationError(_l("Status tidak dikenal."))


class SubmitForm(BaseForm):
    lock_version = HiddenField()


class DecisionForm(BaseForm):
    lock_version = HiddenField()
    # Posted by one of two buttons (name="decision"), not rendered as a field.
    decision = StringField(validators=[DataRequired(_l("Pilih setujui atau kembalikan."))])
    reason = TextAreaField(_l("Alasan pengembalian"), validators=[
        Optional(), Length(max=MAX_RETURN_REASON, message=_max)],
        description=_l("Wajib bila rencana dikembalikan; dikirim kepada pegawai."),
        render_kw={"rows": 3, "maxlength": MAX_RETURN_REASON})

    def validate_decision(self, field):
        if field.data not in (APPROVE, RETURN):
            raise ValidationError(_l("Pilih setujui atau kembalikan."))
