"""Forms of the organisation pages: unit search, unit and position (jabatan) editing."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.people.models import (
    KEAHLIAN_GRADES,
    KETERAMPILAN_GRADES,
    PositionGrade,
    PositionKind,
    UnitKind,
    grade_fits,
)


class UnitSearchForm(BaseForm):
    """GET filter of the organisation page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari unit kerja"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off",
                               "placeholder": _l("Ketik nama unit…")})


class UnitForm(BaseForm):
    name = StringField(_l("Nama unit"), validators=[
        DataRequired(_l("Nama unit wajib diisi.")), Length(max=200)])
    kind = SelectField(_l("Jenis unit"), coerce=UnitKind.coerce,
                       validators=[DataRequired(_l("Pilih jenis unit."))])
    parent = SelectField(_l("Unit induk"), coerce=coerce_int)

    def set_choices(self, parents, *, is_root=False):
        """Parents come from the view (they depend on the unit); the top only for the instansi."""
        if is_root:
            self.parent.choices = choice_list([("", _l("— Tidak ada (puncak pohon organisasi) —"))])
            kinds = [UnitKind.INSTANSI]
        else:
            self.parent.choices = choice_list([("", _l("Pilih unit induk"))] + list(parents))
            kinds = [k for k in UnitKind if k is not UnitKind.INSTANSI]
        self.kind.choices = choice_list([("", _l("Pilih jenis unit"))] + UnitKind.choices(kinds))


def _grade_choices():
    keahlian, keterampilan = PositionKind.FUNGSIONAL_KEAHLIAN.title, PositionKind.FUNGSIONAL_KETERAMPILAN.title
    return ([SelectChoice("", _l("— Tanpa jenjang (bukan fungsional) —"))]
            + [SelectChoice(g.value, g.title, optgroup=keahlian) for g in KEAHLIAN_GRADES]
            + [SelectChoice(g.value, g.title, optgroup=keterampilan) for g in KETERAMPILAN_GRADES])


class PositionForm(BaseForm):
    name = StringField(_l("Nama jabatan"), validators=[
        DataRequired(_l("Nama jabatan wajib diisi.")), Length(max=200)])
    kind = SelectField(_l("Jenis jabatan"), coerce=PositionKind.coerce,
                       choices=choice_list([("", _l("Pilih jenis jabatan"))] + PositionKind.choices()),
                       validators=[DataRequired(_l("Pilih jenis jabatan."))])
    grade = SelectField(_l("Jenjang (khusus jabatan fungsional)"), coerce=PositionGrade.coerce,
                        choices=_grade_choices())
    is_head = BooleanField(_l("Jabatan kepala unit (pimpinan unit kerja)"))

    def validate_grade(self, field):
        kind = self.kind.data
        if not isinstance(kind, PositionKind) or grade_fits(kind, field.data):
            return
        if kind is PositionKind.FUNGSIONAL_KEAHLIAN:
            raise ValidationError(_l("Jabatan fungsional keahlian memerlukan jenjang Ahli Pertama, "
                                     "Ahli Muda, Ahli Madya atau Ahli Utama."))
        if kind is PositionKind.FUNGSIONAL_KETERAMPILAN:
            raise ValidationError(_l("Jabatan fungsional keterampilan memerlukan jenjang Pemula, "
                                     "Terampil, Mahir atau Penyelia."))
        raise ValidationError(_l("Jenjang hanya diisi untuk jabatan fungsional."))
