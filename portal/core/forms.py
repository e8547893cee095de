"""The base form every module's forms derive from."""
from pathlib import Path

from babel import support
from flask import has_request_context, request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path

_TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


class _WTFormsTranslations:
    """WTForms' own messages in the user's language.

    WTForms ships no Indonesian catalogue, so ours (translations/id/LC_MESSAGES/wtforms.po)
    comes first, then WTForms' own (English and others).
    """

    def _catalog(self):
        if not has_request_context():
            return None
        cached = getattr(request, "_capaian_wtforms_translations", None)
        if cached is None:
            locale = get_locale()
            cached = support.Translations.load(str(_TRANSLATIONS_DIR), [locale], domain="wtforms")
            if not isinstance(cached, support.Translations):  # no catalogue of ours: WTForms'
                cached = support.Translations.load(messages_path(), [locale], domain="wtforms")
            request._capaian_wtforms_translations = cached
        return cached

    def gettext(self, string):
        catalog = self._catalog()
        return string if catalog is None else catalog.ugettext(string)

    def ngettext(self, singular, plural, n):
        catalog = self._catalog()
        if catalog is None:
            return singular if n == 1 else plural
        return catalog.ungettext(singular, plural, n)


_wtforms_translations = _WTFormsTranslations()


class BaseForm(FlaskForm):
    """Strips surrounding white space (and NUL characters) from every text input; messages in the
    user's language."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_translations

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)


def _strip(value):
    # NUL never belongs in text, and PostgreSQL refuses it in a query parameter (a 500).
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class LanguageForm(BaseForm):
    lang = HiddenField()


class ConfirmForm(BaseForm):
    """An empty form: its CSRF token is what a confirmation button posts."""


def choice_list(pairs):
    """(value, label) pairs → SelectChoice objects (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on every supported database


def coerce_int(value):
    """SelectField coerce for an optional id: '' / None / junk / an id no column can hold → None."""
    try:
        number = int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def page_number() -> int:
    """The ``page`` argument of a paginated list (1 when missing, negative or not a number)."""
    from flask import request
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def attach_error(form, exc):
    """Put a service error (with ``field``) on that field of ``form``, else on the form."""
    field = getattr(form, getattr(exc, "field", None) or "", None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = [*field.errors, str(exc)]
