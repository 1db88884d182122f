"""`{% error_summary form %}`: the short role="alert" summary at the top of a form that failed.

It names each wrong field as a link to it (the first radio of a group) and spells out the
errors that belong to no field; the messages themselves sit next to their fields. The empty
box is drawn too, so the offline scripts (static/js/forms.js) fill the same place."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    href: str
    label: str
    message: str


def field_anchor(bound_field) -> str:
    """The id a link to the field should point at: the first input of a radio/checkbox group."""
    if bound_field.field.widget.use_fieldset:
        return f"{bound_field.auto_id}_0" if bound_field.auto_id else ""
    return bound_field.id_for_label or ""


def summary_items(form: BaseForm) -> list[SummaryItem]:
    items = [SummaryItem("", "", str(error)) for error in form.non_field_errors()]
    for bound_field in form:
        if not bound_field.errors:
            continue
        if bound_field.is_hidden:  # nowhere to go: the message itself is the summary
            items.extend(SummaryItem("", "", str(error)) for error in bound_field.errors)
            continue
        label = str(bound_field.label or bound_field.name)
        items.append(SummaryItem(field_anchor(bound_field), label, str(bound_field.errors[0])))
    return items


@register.inclusion_tag("_partials/form_errors.html")
def error_summary(form: BaseForm | None) -> dict:
    items = summary_items(form) if form is not None and form.is_bound else []
    return {"items": items, "count": len(items)}
