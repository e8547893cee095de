"""Forms of the tim kerja pages."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import TextInput

from portal.core.forms import BaseForm, coerce_int

_max = _l("Paling banyak %(max)d karakter.")


class NumberField(DecimalField):
    """A decimal as Indonesians write it: "12,5" (comma decimals; dots then group thousands)."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = "".join(str(valuelist[0]).split())
        if not raw:
            self.data = None
            return
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        try:
            value = Decimal(raw)
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError(str(_l("Masukkan angka, mis. 40 atau 12,5."))) from None
        if not value.is_finite():
            self.data = None
            raise ValueError(str(_l("Masukkan angka, mis. 40 atau 12,5.")))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        from portal.plans import rules
        return rules.format_number(self.data).replace(".", "")


class TeamFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Cari nama tim"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})
    tahun = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False)


class TeamForm(BaseForm):
    name = StringField(_l("Nama tim"), validators=[DataRequired(_l("Nama tim wajib diisi.")),
                                                   Length(max=200, message=_max)])
    description = TextAreaField(_l("Uraian / tujuan tim"), validators=[Optional(), Length(max=2000, message=_max)],
                                render_kw={"rows": 3})
    period = SelectField(_l("Tahun"), coerce=coerce_int, validate_choice=False,
                         validators=[DataRequired(_l("Pilih periode kinerja."))])
    org_unit = SelectField(_l("Unit pemilik"), coerce=coerce_int, validate_choice=False,
                           validators=[DataRequired(_l("Unit pemilik tim wajib dipilih."))])
    leader_nip = StringField(_l("NIP ketua tim"), validators=[Optional(), Length(max=30, message=_max)],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})


class EditTeamForm(TeamForm):
    period = None


class MemberForm(BaseForm):
    query = StringField(_l("NIP atau nama pegawai"), validators=[
        DataRequired(_l("Isi NIP atau nama pegawai.")), Length(max=100, message=_max)],
        render_kw={"autocomplete": "off"})
    role = StringField(_l("Peran dalam tim (opsional)"), validators=[Optional(), Length(max=100, message=_max)])
    employee_id = HiddenField()


class GoalForm(BaseForm):
    text = TextAreaField(_l("Sasaran (RHK tim)"), validators=[
        DataRequired(_l("Sasaran wajib diisi.")), Length(max=1000, message=_max)], render_kw={"rows": 2})
    indicator = StringField(_l("Indikator"), validators=[
        DataRequired(_l("Indikator wajib diisi.")), Length(max=500, message=_max)])
    target_value = NumberField(_l("Target"), validators=[Optional()],
                               render_kw={"inputmode": "decimal", "autocomplete": "off"})
    target_unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40, message=_max)],
                              render_kw={"placeholder": _l("mis. dataset")})
