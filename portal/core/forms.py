"""The base form every module's forms derive from."""
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice


class BaseForm(FlaskForm):
    """Strips surrounding white space from every text input."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LanguageForm(BaseForm):
    lang = HiddenField()


class ConfirmForm(BaseForm):
    """An empty form: its CSRF token is what a confirmation button posts."""


def choice_list(pairs):
    """(value, label) pairs → SelectChoice objects (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]
