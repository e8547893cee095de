from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from portal.audit import reading
from portal.audit.services import LogFilters
from portal.core.forms import BaseForm, choice_list


def _check_year(field):
    # Far-off dates would overflow when turned into UTC bounds; nothing was recorded then anyway.
    if field.data and not 1900 <= field.data.year <= 2999:
        raise ValidationError(_l("Isi tanggal antara tahun 1900 dan 2999."))


class AuditFilterForm(BaseForm):
    """GET filters of the audit log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Pelaku (NIP atau nama pengguna)"), validators=[Optional(), Length(max=64)],
                        render_kw={"type": "search", "autocomplete": "off"})
    object_type = SelectField(_l("Jenis objek"), validate_choice=False, validators=[
        Optional(), Regexp(reading.NAME_PATTERN, message=_l("Jenis objek tidak dikenal."))])
    object_id = IntegerField(_l("ID objek"), validators=[
        Optional(), NumberRange(min=1, max=2**31 - 1, message=_l("ID objek harus berupa angka positif."))],
        render_kw={"inputmode": "numeric"})
    action = SelectField(_l("Tindakan"), validate_choice=False, validators=[
        Optional(), Regexp(reading.NAME_PATTERN, message=_l("Tindakan tidak dikenal."))])
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])

    def set_choices(self):
        """Choices from the fixed lists, keeping an unlisted current value selectable."""
        self.object_type.choices = choice_list(
            [("", _l("Semua jenis objek"))] + reading.object_type_choices(also=self.object_type.data))
        self.action.choices = choice_list(
            [("", _l("Semua tindakan"))] + reading.action_choices(also=self.action.data))

    def validate_object_id(self, field):
        # The index is on (object_type, object_id): an id alone would scan the whole table.
        if field.data is not None and not self.object_type.data:
            raise ValidationError(_l("Pilih jenis objek untuk mencari menurut ID objek."))

    def validate_date_from(self, field):
        _check_year(field)

    def validate_date_to(self, field):
        _check_year(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Tanggal akhir tidak boleh sebelum tanggal awal."))

    def filters(self) -> LogFilters:
        """The valid filters (a field with an error filters nothing)."""
        def ok(f):
            return f.data if f.data not in (None, "") and not f.errors else None
        return LogFilters(actor=ok(self.actor), object_type=ok(self.object_type), object_id=ok(self.object_id),
                          action=ok(self.action), date_from=ok(self.date_from), date_to=ok(self.date_to))
