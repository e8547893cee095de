"""Forms of the realisasi pages.

The month form has one row per IKI, so its inputs are named per IKI (``value-<id>``,
``narrative-<id>``, ``lock-<id>``, ``file-<id>``, ``link_url-<id>``, ``link_title-<id>``) and
read by ``month_rows``; the rest are ordinary WTForms forms.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import BaseForm


class MonthForm(BaseForm):
    """The CSRF token and the two buttons of the month form; the rows are read by ``month_rows``."""

    save = SubmitField(_l("Simpan draf"))
    submit = SubmitField(_l("Simpan dan ajukan"))


class FeedbackForm(BaseForm):
    body = TextAreaField(_l("Pesan umpan balik"), validators=[
        DataRequired(message=_l("Tulis umpan balik lebih dulu.")), Length(max=2000)])


class ReturnForm(BaseForm):
    reason = TextAreaField(_l("Alasan pengembalian"), validators=[
        DataRequired(message=_l("Tuliskan alasan pengembalian agar pegawai tahu apa yang harus diperbaiki.")),
        Length(max=1000)])


class UploadForm(BaseForm):
    file = FileField(_l("Berkas bukti dukung"))


class LinkForm(BaseForm):
    url = StringField(_l("Alamat tautan"), validators=[
        DataRequired(message=_l("Isi alamat tautan.")), Length(max=1000)])
    title = StringField(_l("Judul tautan"), validators=[Optional(), Length(max=255)])


class LockForm(BaseForm):
    lock = HiddenField()


@dataclass
class RowInput:
    indicator: object
    value: str
    narrative: str
    lock_version: int | None
    file: object = None
    link_url: str = ""
    link_title: str = ""

    @property
    def has_file(self) -> bool:
        return self.file is not None and bool(getattr(self.file, "filename", ""))


def _lock(raw):
    """'' (the form showed no realisasi) → 0; a number → that number; junk → -1 (never current)."""
    if raw in (None, ""):
        return 0
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


def month_rows(form_data, files, indicators) -> list[RowInput]:
    """The rows posted for ``indicators``: only IKIs whose inputs are in the form (rows shown
    read-only post nothing)."""
    rows = []
    for indicator in indicators:
        key = str(indicator.id)
        if f"narrative-{key}" not in form_data and f"value-{key}" not in form_data:
            continue
        rows.append(RowInput(
            indicator=indicator,
            value=(form_data.get(f"value-{key}") or "").strip(),
            narrative=(form_data.get(f"narrative-{key}") or "").strip(),
            lock_version=_lock(form_data.get(f"lock-{key}")),
            file=files.get(f"file-{key}"),
            link_url=(form_data.get(f"link_url-{key}") or "").strip(),
            link_title=(form_data.get(f"link_title-{key}") or "").strip()))
    return rows
