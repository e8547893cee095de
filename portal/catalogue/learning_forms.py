"""Forms of the learning-hours pages: an external certificate, BKPSDM's decision on it."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.catalogue.models import CertificateKind
from portal.core.forms import BaseForm, choice_list, coerce_int


def _kind(value):
    """'diklat' → CertificateKind.DIKLAT; an unknown value stays as it is (and is not a valid choice)."""
    if not value or isinstance(value, CertificateKind):
        return value or None
    try:
        return CertificateKind(value)
    except ValueError:
        return str(value)


class CertificateForm(BaseForm):
    """The SIASN riwayat diklat / riwayat kursus fields and the scan."""

    kind = SelectField(_l("Jenis riwayat"), coerce=_kind, validators=[InputRequired(_l("Pilih jenis riwayat."))])
    name = StringField(_l("Nama diklat / kursus"), validators=[DataRequired(_l("Isi nama diklat atau kursus.")),
                                                               Length(max=200)])
    course_type = StringField(_l("Jenis kursus"), validators=[Length(max=100)])
    number = StringField(_l("Nomor sertifikat"), validators=[DataRequired(_l("Isi nomor sertifikat.")),
                                                             Length(max=100)])
    certificate_date = DateField(_l("Tanggal sertifikat"),
                                 validators=[InputRequired(_l("Isi tanggal sertifikat."))])
    start_date = DateField(_l("Tanggal mulai"), validators=[Optional()])
    end_date = DateField(_l("Tanggal selesai"), validators=[Optional()])
    jp = IntegerField(_l("Jumlah jam pelajaran (JP)"),
                      validators=[InputRequired(_l("Isi jumlah JP.")),
                                  NumberRange(1, 1000, _l("JP harus antara 1 dan 1000."))])
    organiser = StringField(_l("Penyelenggara"), validators=[DataRequired(_l("Isi penyelenggara.")),
                                                             Length(max=200)])
    year = IntegerField(_l("Tahun"), validators=[Optional(), NumberRange(1970, 2100, _l("Tahun tidak valid."))])
    file = FileField(_l("Pindaian sertifikat"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choice_list([("", _l("— pilih —"))] + [(k.value, k.title) for k in CertificateKind])

    # The service checks these too; checking here shows every mistake at once.
    def validate_course_type(self, field):
        if self.kind.data is CertificateKind.KURSUS and not field.data:
            raise ValidationError(_l("Isi jenis kursus."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."))

    def data_for_service(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "kind", "name", "course_type", "number", "certificate_date", "start_date", "end_date", "year",
            "jp", "organiser")}


class VerifyForm(BaseForm):
    programme = SelectField(_l("Diakui sebagai program katalog (opsional)"), coerce=coerce_int,
                            validators=[Optional()])


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Alasan penolakan"), validators=[DataRequired(_l("Tuliskan alasan penolakan.")),
                                                                 Length(max=500)])
