"""The dashboard's long lists as HTML, built here rather than by template tags: a city's 126
communes appear in each (households not reached, the ranking by one indicator, the table of
every indicator), and the template engine's cost per variable and tag made them most of an
uncached render, which a busy campaign day asks for at every new visit. As with `Cell.td`,
every text a user gave (a unit's name, its search key, a signer's name) is escaped here; the
rest are numbers, constant keys and our own translations.

A unit's name, link and sign-off badge appear in all three lists: each is written once per row
(`_parts`) and reused, and each list is marked safe once, not per cell."""

import functools
import html

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from .selectors.ranking import RankedUnit
from .selectors.rows import Row, decimal_text, group_digits, number_style


def escape(text: object) -> str:
    """django.utils.html.escape's result (the same five characters), without its lazy-text
    wrapper, which cost more than the escaping at thousands of calls."""
    return html.escape(str(text), quote=True)


def _signoff_badge(state, with_title: bool = False) -> str:
    if not state:
        return ""
    text = state.summary if state.code == "summary" else state.label
    return _badge(state.tone, state.code, text, state.who_when if with_title else "")


@functools.lru_cache(maxsize=256)
def _badge(tone: str, code: str, text: str, title: str) -> str:
    """A sign-off badge: most units of a list share one ("not sent", "approved")."""
    title = f' title="{escape(title)}"' if title else ""
    return (
        f'<span class="badge {escape(tone)}" data-signoff="{escape(code)}"{title}>'
        f"{escape(text)}</span>"
    )


def _parts(row: Row, language: str | None) -> dict[str, str]:
    """The escaped pieces of `row` that every list shows, written once per row (and language:
    the badge's words are translated)."""
    parts = row.extra.get("_html")
    if parts is None or parts["language"] != language:
        name = escape(row.name)
        state = row.extra.get("signoff")
        parts = {
            "language": language,
            "name": name,
            "link": f'<a href="{escape(row.url)}">{name}</a>' if row.url else name,
            "search": escape(row.extra["search"]) if "search" in row.extra else "",
            "badge": _signoff_badge(state),
            "badge_titled": _signoff_badge(state, with_title=True),
        }
        row.extra["_html"] = parts
    return parts


def table_body(rows: list[Row], *, show_score: bool = False, show_rank: bool = False) -> str:
    """The <tr> of each row of a cells table (templates/campaigns/_cells_table.html)."""
    if not rows:
        return f'<tr><td colspan="99" class="muted">{escape(gettext("Chưa có số liệu."))}</td></tr>'
    approximate = (
        f'<span class="badge warn" title="'
        f'{escape(gettext("Đơn vị cũ bị chia: số liệu quy đổi là gần đúng."))}">'
        f"{escape(gettext('gần đúng'))}</span>"
    )
    score_label = escape(gettext("%% chỉ tiêu") % {})
    style, language = number_style(), get_language()
    lines = []
    for index, row in enumerate(rows, start=1):
        parts = _parts(row, language)
        rank = f"{index}. " if show_rank else ""
        members = row.extra.get("members")
        members_text = (
            '<span class="muted">('
            + escape(
                ngettext("%(counter)s thành viên", "%(counter)s thành viên", members)
                % {"counter": members}
            )
            + ")</span>"
            if members
            else ""
        )
        score = ""
        if show_score:
            value = (
                f'<span class="badge {escape(row.tone)}">{decimal_text(row.score, style)}%</span>'
                if row.score is not None
                else "—"
            )
            score = f'<td class="num" data-label="{score_label}">{value}</td>'
        tone = f"tone-{escape(row.tone)}" if row.tone else ""
        lines.append(
            f'<tr class="{tone}" data-row="{parts["name"]}"><td>{rank}{parts["link"]}'
            f"{approximate if row.approximate else ''}"
            f"{parts['badge_titled']}{members_text}</td>"
            f"{''.join(cell.td_text(style) for cell in row.cells)}{score}</tr>"
        )
    return "".join(lines)


def coverage_items(rows: list[Row]) -> SafeString:
    """The <li> of each unit in the "households not yet reached" list, most first."""
    level2 = escape(gettext("mức 2"))
    not_reached = escape(gettext("hộ chưa tiếp cận"))
    reached_text = gettext("đã tiếp cận %(reached)s/%(households)s hộ")
    style, language = number_style(), get_language()
    items = []
    for index, row in enumerate(rows, start=1):
        parts = _parts(row, language)
        coverage = row.extra["coverage"]
        reached = reached_text % {
            "reached": group_digits(coverage.reached, style),
            "households": group_digits(coverage.households, style),
        }
        share = f" ({decimal_text(coverage.share, style)}%)" if coverage.share is not None else ""
        middle = "rank-middle" if index > 5 else ""
        items.append(
            f'<li class="{middle}" data-row="{parts["name"]}" '
            f'data-name="{parts["search"]}" data-not-reached="{coverage.not_reached}">'
            f'<span class="rank">{index}</span>'
            f'<span class="who">{parts["link"]} <small class="muted">{escape(reached)}{share}'
            f" · {level2} {group_digits(coverage.level2, style)}/"
            f"{group_digits(coverage.members, style)}</small></span>"
            f'<span class="figure"><b>{group_digits(coverage.not_reached, style)}</b>'
            f'<small class="muted"> {not_reached}</small></span></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 — every user text escaped above


def ranking_items(units: list[RankedUnit]) -> SafeString:
    """The <li> of each unit in the ranking by the chosen indicator."""
    style, language = number_style(), get_language()
    items = []
    for unit in units:
        parts = _parts(unit.row, language)
        cell = unit.cell
        target = (
            f'<small class="muted"> / {group_digits(cell.target, style)}</small>'
            if cell.target is not None
            else ""
        )
        pct = (
            f'<span class="badge {escape(unit.tone)}">{decimal_text(cell.pct, style)}%</span>'
            if cell.pct is not None
            else ""
        )
        middle = "rank-middle" if unit.middle else ""
        search = parts["search"] if "search" in unit.row.extra else escape(unit.search)
        items.append(
            f'<li class="{middle}" data-rank="{unit.rank}" data-name="{search}" '
            f'data-row="{parts["name"]}"><span class="rank">{unit.rank}</span>'
            f'<span class="who">{parts["link"]}{parts["badge"]}</span>'
            f'<span class="figure" data-achieved="{int(cell.achieved)}">'
            f"<b>{group_digits(cell.achieved, style)}</b>{target} {pct}</span></li>"
        )
    return mark_safe("".join(items))  # noqa: S308 — every user text escaped above


def table_url(context: dict) -> str:
    """Where the unit's table of every indicator is fetched (campaigns:area-table). It does
    not follow the chosen indicator: its rows are ordered by the share of all targets met."""
    return reverse("campaigns:area-table", args=[context["campaign"].pk, context["area"].pk])


def dashboard_body_html(context: dict) -> str:
    """The body of a dashboard (figures, charts, lists) from `campaign_dashboard`'s context:
    the part of the page cached per data version. Rendered without the request: it shows
    nothing of the viewer beyond their scope, which keys the cache.

    The table of every indicator by unit is not in it: folded under the ranking, it was more
    than half of a city's page (a row of ten figures for each of 126 communes) for the few who
    open it. Opening it fetches it (`children_table_html`, campaigns:area-table)."""
    context = {
        **context,
        "coverage_items": coverage_items(context["coverage_rows"]),
        "ranking_items": ranking_items(context["indicator_ranking"]),
        "table_url": table_url(context),
    }
    return render_to_string("campaigns/_dashboard_body.html", context)


def children_table_html(context: dict) -> str:
    """The table of every indicator for the units under the dashboard's (its ranking order),
    from `campaign_dashboard`'s context."""
    return render_to_string(
        "campaigns/_cells_table.html",
        {
            "table_id": "children",
            "table_rows": context["ranking"],
            "header_cells": context["headline"],
            "first_header": context["child_level"],
            "show_score": True,
            "show_rank": True,
        },
    )
