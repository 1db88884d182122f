"""One way every form shows its errors (issue 18): the project's form renderer draws each field
through templates/_partials/field.html — label, help text and errors each with the id that the
widget's `aria-describedby` names, `aria-invalid` on what is wrong (radio groups and selects
included) — and each form through _partials/form.html, which opens with the error summary
(`{% error_summary form %}`, core/templatetags/form_errors.py). static/js/forms.js moves focus to
the first invalid field and does the same for the forms the offline scripts check."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer reading the project's templates first (so they can override Django's)."""

    form_template_name = "_partials/form.html"
    field_template_name = "_partials/field.html"
