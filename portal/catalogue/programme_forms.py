"""Forms of the programme administration: filters, the programme form and the CSV upload."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.catalogue.models import Delivery, Leadership, ProgrammeForm, ProgrammeStatus, ProviderKind
from portal.catalogue.programme_services import ProgrammeData, parse_rupiah
from portal.core.forms import BaseForm, choice_list, coerce_int
from portal.people.models import PositionKind
from portal.people.rules import GOLONGAN_PNS

ALL = ""
LEADERSHIP_ANY, LEADERSHIP_NONE = "any", "none"


def _enum_choices(enum, empty=None):
    pairs = [(member.value, member.title) for member in enum]
    return choice_list(([(ALL, empty)] if empty is not None else []) + pairs)


def form_choices():
    """ProgrammeForm grouped as klasikal / nonklasikal (rendered as optgroups)."""
    return {
        str(_l("Klasikal")): [(f.value, f.title) for f in ProgrammeForm if f.is_classical],
        str(_l("Nonklasikal")): [(f.value, f.title) for f in ProgrammeForm if not f.is_classical],
    }


class ProgrammeFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Cari kode atau judul"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validate_choice=False)
    form = SelectField(_l("Bentuk"), validate_choice=False)
    leadership = SelectField(_l("Kepemimpinan"), validate_choice=False)
    provider = SelectField(_l("Penyelenggara"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _enum_choices(ProgrammeStatus, _l("Semua status"))
        self.form.choices = {None: [(ALL, _l("Semua bentuk"))], **form_choices()}
        self.leadership.choices = choice_list([(ALL, _l("Semua program")), (LEADERSHIP_ANY, _l("Program kepemimpinan")),
                                               (LEADERSHIP_NONE, _l("Bukan kepemimpinan"))]
                                              + [(m.value, m.title) for m in Leadership])
        self.provider.choices = _enum_choices(ProviderKind, _l("Semua penyelenggara"))

    def criteria(self) -> dict:
        """The filters as service arguments; unknown values are ignored."""
        def member(enum, value):
            try:
                return enum(value) if value else None
            except ValueError:
                return None
        leadership = self.leadership.data
        if leadership not in (LEADERSHIP_ANY, LEADERSHIP_NONE):
            leadership = member(Leadership, leadership)
        q = (self.q.data or "")[:100] or None
        return {"q": q, "status": member(ProgrammeStatus, self.status.data), "form": member(ProgrammeForm, self.form.data),
                "leadership": leadership, "provider": member(ProviderKind, self.provider.data)}


class ProgrammeEditForm(BaseForm):
    code = StringField(_l("Kode"), validators=[InputRequired(_l("Kode wajib diisi.")), Length(max=30)])
    title = StringField(_l("Judul"), validators=[InputRequired(_l("Judul wajib diisi.")), Length(max=200)])
    description = TextAreaField(_l("Deskripsi"), validators=[Length(max=5000)], render_kw={"rows": 4})
    form = SelectField(_l("Bentuk pengembangan"), validators=[InputRequired(_l("Pilih bentuk pengembangan."))])
    jp = IntegerField(_l("Jam pelajaran (JP)"), validators=[
        InputRequired(_l("JP wajib diisi.")), NumberRange(1, 1000, _l("JP diisi bilangan bulat 1–1000."))])
    provider_kind = SelectField(_l("Jenis penyelenggara"), validators=[InputRequired(_l("Pilih jenis penyelenggara."))])
    provider_name = StringField(_l("Nama penyelenggara"), validators=[Length(max=150)])
    delivery = SelectField(_l("Metode pelaksanaan"), validators=[InputRequired(_l("Pilih metode pelaksanaan."))])
    cost_per_participant = StringField(_l("Biaya per peserta (Rp)"), validators=[Length(max=30)])
    prerequisites = TextAreaField(_l("Prasyarat"), validators=[Length(max=1000)], render_kw={"rows": 2})
    leadership = SelectField(_l("Jenjang kepemimpinan"))
    position_kinds = SelectMultipleField(_l("Jenis jabatan"))
    golongan_min = SelectField(_l("Golongan minimum (PNS)"))
    golongan_max = SelectField(_l("Golongan maksimum (PNS)"))
    open_to_pppk = BooleanField(_l("Terbuka untuk PPPK"))
    units = SelectMultipleField(_l("Unit (OPD)"), coerce=coerce_int)
    competencies = SelectMultipleField(_l("Kompetensi yang dikembangkan"), coerce=coerce_int)
    lock_version = HiddenField()

    def set_choices(self, unit_choices, competency_choices):
        self.form.choices = {None: [(ALL, _l("— pilih —"))], **form_choices()}
        self.provider_kind.choices = _enum_choices(ProviderKind, _l("— pilih —"))
        self.delivery.choices = _enum_choices(Delivery, _l("— pilih —"))
        self.leadership.choices = _enum_choices(Leadership, _l("Bukan program kepemimpinan"))
        self.position_kinds.choices = _enum_choices(PositionKind)
        golongan = [(g, f"{g} — {name}") for g, name in GOLONGAN_PNS.items()]
        self.golongan_min.choices = choice_list([(ALL, _l("Tanpa batas"))] + golongan)
        self.golongan_max.choices = choice_list([(ALL, _l("Tanpa batas"))] + golongan)
        self.units.choices = choice_list(unit_choices)
        self.competencies.choices = competency_choices

    def validate_cost_per_participant(self, field):
        try:
            parse_rupiah(field.data)
        except ValueError:
            raise ValidationError(_l("Tulis biaya dalam rupiah, misalnya 1.500.000 atau 1500000.")) from None

    def validate_leadership(self, field):
        if field.data and self.form.data != ProgrammeForm.LEADERSHIP.value:
            raise ValidationError(_l("Jenjang kepemimpinan hanya untuk bentuk Pelatihan kepemimpinan."))

    def to_data(self) -> ProgrammeData:
        return ProgrammeData(
            code=self.code.data or "", title=self.title.data or "", description=self.description.data or "",
            form=ProgrammeForm(self.form.data), jp=self.jp.data, provider_kind=ProviderKind(self.provider_kind.data),
            provider_name=self.provider_name.data or "", delivery=Delivery(self.delivery.data),
            cost_per_participant=parse_rupiah(self.cost_per_participant.data),
            prerequisites=self.prerequisites.data or "",
            leadership=Leadership(self.leadership.data) if self.leadership.data else None,
            position_kinds=[PositionKind(v) for v in self.position_kinds.data or []],
            golongan_min=self.golongan_min.data or None, golongan_max=self.golongan_max.data or None,
            open_to_pppk=bool(self.open_to_pppk.data),
            unit_ids=[i for i in self.units.data or [] if i], competency_ids=[i for i in self.competencies.data or [] if i])


class ProgrammeImportForm(BaseForm):
    file = FileField(_l("Berkas CSV"), validators=[
        FileRequired(_l("Pilih berkas CSV yang akan diimpor.")),
        FileAllowed(["csv"], _l("Hanya berkas .csv yang dapat diimpor."))])


class ImportConfirmForm(BaseForm):
    token = HiddenField()
