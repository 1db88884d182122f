"""{% cells_table_body rows show_score show_rank %}: a cells table's rows, built by
campaigns.dashboard_html (a city's table has over a thousand cells)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..dashboard_html import table_body

register = template.Library()


@register.simple_tag
def cells_table_body(rows, show_score=False, show_rank=False) -> SafeString:
    html = table_body(list(rows or []), show_score=bool(show_score), show_rank=bool(show_rank))
    return mark_safe(html)  # noqa: S308 — table_body escapes every user text
