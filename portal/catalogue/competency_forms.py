"""Forms of the competency pages: the dictionary, the BerAKHLAK mapping, tags and thresholds."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.catalogue import competency_services as services
from portal.catalogue.models import CompetencyGroup
from portal.core.forms import BaseForm, choice_list, coerce_int

_max = _l("Paling banyak %(max)d karakter.")

PREVIEW, SAVE = "pratinjau", "simpan"


def _group(value):
    try:
        return CompetencyGroup(value)
    except ValueError:
        return None


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Cari kompetensi"), validators=[Optional(), Length(max=100)],
                    render_kw={"placeholder": _l("Kode, nama atau bidang"), "maxlength": 100})


class CompetencyForm(BaseForm):
    code = StringField(_l("Kode"), validators=[InputRequired(_l("Isi kode kompetensi.")),
                                               Length(max=services.CODE_MAX, message=_max)],
                       render_kw={"maxlength": services.CODE_MAX, "autocomplete": "off"})
    name = StringField(_l("Nama"), validators=[InputRequired(_l("Isi nama kompetensi.")),
                                               Length(max=services.NAME_MAX, message=_max)],
                       render_kw={"maxlength": services.NAME_MAX})
    group = SelectField(_l("Kelompok"), coerce=_group, validate_choice=False,
                        choices=choice_list(CompetencyGroup.choices()),
                        validators=[InputRequired(_l("Pilih kelompok kompetensi."))])
    field = StringField(_l("Bidang (untuk kompetensi teknis)"), validators=[Length(max=services.FIELD_MAX, message=_max)],
                        render_kw={"maxlength": services.FIELD_MAX, "list": "competency-fields"})
    description = TextAreaField(_l("Uraian"), validators=[Length(max=services.DESCRIPTION_MAX, message=_max)],
                                render_kw={"rows": 3, "maxlength": services.DESCRIPTION_MAX})

    def validate_group(self, field):
        if field.data is None:
            raise ValidationError(_l("Pilih kelompok kompetensi."))

    def values(self) -> dict:
        return dict(code=self.code.data, name=self.name.data, group=self.group.data, field=self.field.data,
                    description=self.description.data)


class MappingForm(BaseForm):
    """The competencies that develop one BerAKHLAK value (``nilai``)."""

    nilai = HiddenField()
    competencies = SelectMultipleField(_l("Kompetensi"), coerce=coerce_int, validate_choice=False)
    action = HiddenField(default=PREVIEW)
    # The selection the preview counted: saving something else shows a new preview first.
    previewed = HiddenField()

    def selected_ids(self) -> frozenset:
        return frozenset(i for i in (self.competencies.data or ()) if i is not None)


def _setting(label, name, help_text):
    low, high = services.SETTING_RANGES[name]
    return IntegerField(label, description=help_text, validators=[
        InputRequired(_l("Isi dengan bilangan bulat.")),
        NumberRange(low, high, message=_l("Isi antara %(min)s dan %(max)s."))],
        render_kw={"min": low, "max": high, "inputmode": "numeric"})


class SettingsForm(BaseForm):
    jp_target = _setting(_l("Target JP per tahun"), "jp_target",
                         _l("Kewajiban jam pelajaran setahun (20 JP untuk PNS)."))
    short_jp_max = _setting(_l("Batas JP program singkat"), "short_jp_max",
                            _l("Program sebanyak ini JP atau kurang disarankan untuk menutup kekurangan JP."))
    per_need = _setting(_l("Program per kebutuhan"), "per_need",
                        _l("Berapa program yang direkomendasikan untuk satu kebutuhan pengembangan."))
    jp_suggestions = _setting(_l("Saran untuk kekurangan JP"), "jp_suggestions",
                              _l("Berapa program singkat yang disarankan bila JP tahun ini belum mencapai target."))
    coaching_jp = _setting(_l("JP per coaching"), "coaching_jp", _l("JP yang dicatat untuk satu coaching yang disetujui."))
    mentoring_jp = _setting(_l("JP per mentoring"), "mentoring_jp",
                            _l("JP yang dicatat untuk satu mentoring yang disetujui."))
    coaching_score_max = _setting(_l("Batas skor coaching"), "coaching_score_max",
                                  _l("Skor kompetensi B.1.9 sebesar ini atau lebih rendah menghasilkan rekomendasi."))
    action = HiddenField(default=PREVIEW)
    previewed = HiddenField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in services.SETTING_RANGES}


class TagForm(BaseForm):
    competency_id = SelectField(_l("Kompetensi"), coerce=coerce_int, validate_choice=False,
                                validators=[InputRequired(_l("Pilih kompetensi."))])
