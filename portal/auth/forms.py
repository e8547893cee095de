from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth.services import password_problem
from portal.core.forms import BaseForm


class LoginForm(BaseForm):
    login = StringField(_l("NIP atau nama pengguna"), validators=[
        DataRequired(_l("Isi NIP atau nama pengguna.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("Kata sandi"), validators=[
        DataRequired(_l("Isi kata sandi.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"})


def _strong_enough(form, field):
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[
        DataRequired(_l("Isi kata sandi saat ini."))],
        render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Isi kata sandi baru.")),
        Length(max=200), _strong_enough],
        render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")),
        EqualTo("new_password", _l("Kedua kata sandi baru tidak sama."))],
        render_kw={"autocomplete": "new-password"})
