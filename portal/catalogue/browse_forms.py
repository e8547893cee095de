"""Forms of the catalogue pages and of "Rekomendasi untuk saya"."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.catalogue.browse_services import CLASSICAL, JP_RANGES, NON_CLASSICAL
from portal.catalogue.models import CLASSICAL_FORMS, Delivery, ProgrammeForm, ProviderKind
from portal.catalogue.recommend import MAX_DISMISS_REASON
from portal.core.forms import BaseForm, choice_list, coerce_int


def _form_choices():
    """Optgroups: everything, the two groups, then each form under its group."""
    classical = [f for f in ProgrammeForm if f in CLASSICAL_FORMS]
    non_classical = [f for f in ProgrammeForm if f not in CLASSICAL_FORMS]
    return [
        *choice_list([("", _l("Semua bentuk")), (CLASSICAL, _l("Semua klasikal")),
                      (NON_CLASSICAL, _l("Semua nonklasikal"))]),
        *[SelectChoice(f.value, f.title, optgroup=_l("Klasikal")) for f in classical],
        *[SelectChoice(f.value, f.title, optgroup=_l("Nonklasikal")) for f in non_classical],
    ]


class CatalogueFilterForm(BaseForm):
    """GET filters of the catalogue (no CSRF: it changes nothing). Unknown values filter nothing."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari program"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off",
                               "placeholder": _l("Judul, kode atau penyelenggara…")})
    kompetensi = SelectField(_l("Kompetensi"), coerce=coerce_int, validate_choice=False)
    bentuk = SelectField(_l("Bentuk"), validate_choice=False, choices=_form_choices())
    metode = SelectField(_l("Metode"), validate_choice=False,
                         choices=choice_list([("", _l("Semua metode"))] + Delivery.choices()))
    jp = SelectField(_l("Jam pelajaran"), validate_choice=False,
                     choices=choice_list([("", _l("Semua JP"))] + [(k, v[0]) for k, v in JP_RANGES.items()]))
    penyelenggara = SelectField(_l("Penyelenggara"), validate_choice=False,
                                choices=choice_list([("", _l("Semua penyelenggara"))] + ProviderKind.choices()))
    jadwal = BooleanField(_l("Ada jadwal mendatang"))

    def form_value(self):
        """The form filter: CLASSICAL, NON_CLASSICAL, a ProgrammeForm, or None."""
        value = self.bentuk.data
        if value in (CLASSICAL, NON_CLASSICAL):
            return value
        return _member(ProgrammeForm, value)

    def delivery_value(self):
        return _member(Delivery, self.metode.data)

    def provider_value(self):
        return _member(ProviderKind, self.penyelenggara.data)


def _member(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


class AcceptForm(BaseForm):
    target_date = DateField(_l("Target selesai (opsional)"), validators=[Optional()])


class DismissForm(BaseForm):
    reason = TextAreaField(_l("Alasan mengabaikan"), validators=[
        DataRequired(_l("Tuliskan alasan mengabaikan rekomendasi ini.")),
        Length(max=MAX_DISMISS_REASON, message=_l("Paling banyak %(max)d karakter."))],
        render_kw={"rows": 2, "maxlength": MAX_DISMISS_REASON})
