"""Forms of the account administration pages."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.models import GRANTABLE_ROLES, Role
from portal.core.forms import BaseForm, choice_list, coerce_int

SHOW_ACCOUNTS, SHOW_WITHOUT_ACCOUNT = "akun", "tanpa-akun"




def _grantable_role(value):
    """A filter value → Role; an unknown value (an old bookmark) means no filter."""
    for role in GRANTABLE_ROLES:
        if value in (role, role.value):
            return role
    return None


class AccountFilterForm(BaseForm):
    """GET filters of the account list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari nama, NIP atau nama pengguna"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off",
                               "placeholder": _l("Ketik nama, NIP atau nama pengguna…")})
    role = SelectField(_l("Peran"), coerce=_grantable_role, validate_choice=False,
                       choices=choice_list([("", _l("Semua peran"))] + Role.choices(GRANTABLE_ROLES)))
    tampil = HiddenField(default=SHOW_ACCOUNTS)


class ActionForm(BaseForm):
    """A one-button action (reset, revoke, activate…).

    The action happens only when the form's own button is posted along with the CSRF
    token: a bare POST to the URL changes nothing.
    """

    confirm = SubmitField(validators=[DataRequired()])


class StatusForm(ActionForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class GrantRoleForm(BaseForm):
    role = SelectField(_l("Peran yang diberikan"), coerce=Role.coerce,
                       choices=choice_list([("", _l("Pilih peran"))] + Role.choices(GRANTABLE_ROLES)),
                       validators=[DataRequired(_l("Pilih peran yang akan diberikan."))])
    org_unit = SelectField(_l("Unit kerja (khusus Admin OPD)"), coerce=coerce_int)

    def set_unit_choices(self, units):
        self.org_unit.choices = choice_list([("", _l("Pilih unit kerja"))] + list(units))

    def validate_org_unit(self, field):
        if self.role.data is Role.ADMIN_OPD and not field.data:
            raise ValidationError(_l("Admin OPD harus dibatasi pada satu unit kerja."))


class NewAdminForm(BaseForm):
    username = StringField(_l("Nama pengguna"), validators=[
        DataRequired(_l("Nama pengguna wajib diisi.")), Length(min=3, max=64),
        Regexp(r"^[A-Za-z][A-Za-z0-9._-]*$",
               message=_l("Nama pengguna diawali huruf dan hanya memuat huruf, angka, titik, garis bawah atau tanda hubung."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    full_name = StringField(_l("Nama lengkap"), validators=[
        DataRequired(_l("Nama lengkap wajib diisi.")), Length(max=200)])
    roles = SelectMultipleField(_l("Peran"), coerce=Role.coerce,
                                choices=choice_list(Role.choices(GRANTABLE_ROLES)),
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    org_unit = SelectField(_l("Unit kerja (khusus Admin OPD)"), coerce=coerce_int)

    def set_unit_choices(self, units):
        self.org_unit.choices = choice_list([("", _l("Pilih unit kerja"))] + list(units))

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_l("Pilih paling sedikit satu peran."))

    def validate_org_unit(self, field):
        if Role.ADMIN_OPD in (self.roles.data or []) and not field.data:
            raise ValidationError(_l("Admin OPD harus dibatasi pada satu unit kerja."))
