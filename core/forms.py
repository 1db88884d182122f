"""The one way a service's ValidationError reaches the form a person is looking at."""

from django import forms
from django.core.exceptions import ValidationError


def errors_to_form(form: forms.Form, error: ValidationError, **aliases: str) -> None:
    """Put each message on the field it names (or on the form when the form has no such field).

    `aliases` maps a service's field to the form's: errors_to_form(form, e, start_field="day")
    shows an error about `start` under the form's `day` field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(f"{field}_field", field)
        form.add_error(field if field in form.fields else None, errors)
