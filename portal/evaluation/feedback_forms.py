"""Forms of the public IKM survey and of the units' IKM pages."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.evaluation.feedback_services import COMMENT_MAX, ELEMENTS

SCORES = ("1", "2", "3", "4")


def _score(value):
    """A posted answer → 1–4, anything else → None (the field then asks for an answer)."""
    return int(value) if str(value) in SCORES else None


class ScoreField(RadioField):
    """One survey element: four answers scored 1 (worst) to 4 (best); one must be picked."""

    def __init__(self, element, **kwargs):
        super().__init__(element.question, choices=choice_list(list(enumerate(element.answers, start=1))),
                         coerce=_score, validate_choice=False, **kwargs)
        self.element = element

    def pre_validate(self, form):
        if self.data is None:
            raise StopValidation(str(_l("Pilih salah satu jawaban.")))


class PublicFeedbackForm(BaseForm):
    """The anonymous survey: an optional service, the nine elements, an optional comment, and a
    honeypot (``website``) that people never see and bots fill in. No personal data."""

    service = SelectField(_l("Layanan yang Anda terima (boleh dikosongkan)"), coerce=coerce_int, validate_choice=False,
                          validators=[Optional()])
    u1 = ScoreField(ELEMENTS[0])
    u2 = ScoreField(ELEMENTS[1])
    u3 = ScoreField(ELEMENTS[2])
    u4 = ScoreField(ELEMENTS[3])
    u5 = ScoreField(ELEMENTS[4])
    u6 = ScoreField(ELEMENTS[5])
    u7 = ScoreField(ELEMENTS[6])
    u8 = ScoreField(ELEMENTS[7])
    u9 = ScoreField(ELEMENTS[8])
    comment = TextAreaField(_l("Saran atau masukan (boleh dikosongkan)"),
                            validators=[Optional(), Length(max=COMMENT_MAX,
                                                           message=_l("Paling banyak %(max)d karakter."))],
                            render_kw={"rows": 4, "maxlength": COMMENT_MAX})
    website = StringField(_l("Jangan isi kolom ini"), render_kw={"tabindex": "-1", "autocomplete": "off"})

    def set_services(self, services):
        self.service.choices = choice_list([(None, _l("— Pilih layanan —"))]
                                           + [(s.id, s.name) for s in services])
        self._service_ids = {s.id for s in services}

    def validate_service(self, field):
        if field.data is not None and field.data not in getattr(self, "_service_ids", set()):
            raise StopValidation(str(_l("Pilih layanan dari daftar.")))
        if field.data is None and field.raw_data and field.raw_data[0] not in ("", "None"):
            raise StopValidation(str(_l("Pilih layanan dari daftar.")))

    @property
    def score_fields(self):
        return [self[e.field] for e in ELEMENTS]

    @property
    def scores(self) -> dict:
        return {e.field: self[e.field].data for e in ELEMENTS}

    @property
    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())


class IkmFilterForm(BaseForm):
    """GET filters of the IKM pages: the year, a sub-period or the whole year, a name (no CSRF)."""

    class Meta:
        csrf = False

    tahun = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False)
    periode = SelectField(_l("Periode"), coerce=coerce_int, validate_choice=False)
    q = StringField(_l("Cari unit"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})

    def set_period(self, period):
        self.tahun.choices = choice_list([(y, str(y)) for y in period.years])
        self.periode.choices = choice_list([(0, _l("Setahun penuh"))] + period.parts)
        self.tahun.data, self.periode.data = period.year, period.part or None


class ServiceForm(BaseForm):
    name = StringField(_l("Nama layanan"), validators=[DataRequired(_l("Nama layanan wajib diisi.")),
                                                       Length(max=200, message=_l("Paling banyak %(max)d karakter."))],
                       render_kw={"placeholder": _l("mis. Penerbitan surat rekomendasi")})
