"""Forms of the laporan harian."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.plans.activity_services import COMMENT_MAX, DESCRIPTION_MAX, OUTPUT_MAX


class EntryForm(BaseForm):
    entry_date = DateField(_l("Tanggal"), default=date.today, validators=[
        DataRequired(_l("Tanggal wajib diisi dengan format yang benar."))])
    result = SelectField(_l("RHK"), coerce=coerce_int, validate_choice=False)
    description = TextAreaField(_l("Uraian kegiatan"), validators=[
        DataRequired(_l("Uraian kegiatan wajib diisi.")),
        Length(max=DESCRIPTION_MAX, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"rows": 2, "maxlength": DESCRIPTION_MAX})
    output = StringField(_l("Keluaran (opsional)"), validators=[
        Optional(), Length(max=OUTPUT_MAX, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"placeholder": _l("mis. 3 berkas"), "maxlength": OUTPUT_MAX})


class CommentForm(BaseForm):
    body = TextAreaField(_l("Komentar"), validators=[
        DataRequired(_l("Komentar wajib diisi.")),
        Length(max=COMMENT_MAX, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"rows": 2, "maxlength": COMMENT_MAX})
    next = HiddenField()


class MonthFilterForm(BaseForm):
    """GET filter of the own log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    bulan = SelectField(_l("Bulan"), validate_choice=False)


class TeamLogFilterForm(BaseForm):
    class Meta:
        csrf = False

    tanggal = DateField(_l("Tanggal"), validators=[Optional()])
    rentang = SelectField(_l("Rentang"), validate_choice=False,
                          choices=choice_list([("minggu", _l("Satu minggu")), ("hari", _l("Satu hari"))]))
    pegawai = SelectField(_l("Pegawai"), coerce=coerce_int, validate_choice=False)
