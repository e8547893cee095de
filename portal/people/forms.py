from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.people import rules
from portal.people.models import CivilStatus, EmployeeKind, Gender, PositionKind

_req = lambda label: DataRequired(_l("%(field)s wajib diisi.", field=label))  # noqa: E731




class DirectoryFilterForm(BaseForm):
    """GET filters of the directory (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari nama atau NIP"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off",
                               "placeholder": _l("Ketik nama atau NIP…")})
    unit = SelectField(_l("Unit kerja (termasuk sub-unit)"), coerce=coerce_int, validate_choice=False)
    golongan = SelectField(_l("Golongan"), validate_choice=False,
                           choices=choice_list([("", _l("Semua golongan"))] + [(g, g) for g in rules.ALL_GOLONGAN]))
    jenis = SelectField(_l("Jenis jabatan"), validate_choice=False,
                        choices=choice_list([("", _l("Semua jenis jabatan"))] + PositionKind.choices()))


class EmployeeForm(BaseForm):
    kind = SelectField(_l("Jenis pegawai"), choices=choice_list(EmployeeKind.choices()), validators=[DataRequired()])
    nip = StringField(_l("NIP / NI PPPK"), validators=[_req(_l("NIP")), Length(max=30)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    gelar_depan = StringField(_l("Gelar depan"), validators=[Optional(), Length(max=60)])
    name = StringField(_l("Nama (tanpa gelar)"), validators=[_req(_l("Nama")), Length(max=150)])
    gelar_belakang = StringField(_l("Gelar belakang"), validators=[Optional(), Length(max=100)])
    gender = SelectField(_l("Jenis kelamin"), choices=choice_list(Gender.choices()), validators=[DataRequired()])
    birth_date = DateField(_l("Tanggal lahir"), validators=[
        DataRequired(_l("Tanggal lahir wajib diisi dengan format yang benar."))])
    tmt_date = DateField(_l("TMT CPNS / pengangkatan"), validators=[Optional()])
    civil_status = SelectField(_l("Status (PNS)"), validators=[Optional()],
                               choices=choice_list([("", "–")] + CivilStatus.choices()))
    golongan = SelectField(_l("Golongan"), validators=[Optional()],
                           choices=choice_list([("", "–")] + [(g, g) for g in rules.ALL_GOLONGAN]))
    email = EmailField(_l("Email dinas"), validators=[Optional(), Email(_l("Alamat email tidak valid.")), Length(max=120)])
    phone = StringField(_l("Nomor telepon"), validators=[
        Optional(), Length(max=32), Regexp(r"^\+?[0-9 ()-]{6,32}$", message=_l("Nomor telepon tidak valid."))])
    is_active = BooleanField(_l("Aktif"), default=True)


class NewEmployeeForm(EmployeeForm):
    org_unit = SelectField(_l("Unit kerja"), coerce=coerce_int, validators=[_req(_l("Unit kerja"))])
    position = SelectField(_l("Jabatan"), coerce=coerce_int, validators=[_req(_l("Jabatan"))],
                           validate_choice=False)
    supervisor_nip = StringField(_l("NIP atasan langsung"), validators=[Optional(), Length(max=30)])


class TransferForm(BaseForm):
    org_unit = SelectField(_l("Unit kerja baru"), coerce=coerce_int, validators=[_req(_l("Unit kerja"))])
    position = SelectField(_l("Jabatan baru"), coerce=coerce_int, validators=[_req(_l("Jabatan"))],
                           validate_choice=False)
    supervisor_nip = StringField(_l("NIP atasan langsung yang baru"), validators=[Optional(), Length(max=30)])
    start_date = DateField(_l("Berlaku mulai"), default=date.today, validators=[_req(_l("Tanggal berlaku"))])
    note = TextAreaField(_l("Dasar / keterangan (mis. nomor SK)"), validators=[Optional(), Length(max=500)])


class SupervisorForm(BaseForm):
    supervisor_nip = StringField(_l("NIP atasan langsung yang baru"), validators=[Optional(), Length(max=30)])
    start_date = DateField(_l("Berlaku mulai"), default=date.today, validators=[_req(_l("Tanggal berlaku"))])
    note = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=500)])
