"""The dashboard's long lists as HTML, built here rather than by template tags: a city's 126
communes appear in each (households not reached, the ranking by one indicator, the table of
every indicator), and the template engine's cost per variable and tag made them most of an
uncached render, which a busy campaign day asks for at every new visit. As with `Cell.td`,
every text a user gave (a unit's name, its search key, a signer's name) is escaped here; the
rest are numbers, constant keys and our own translations."""

import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .selectors.ranking import RankedUnit
from .selectors.rows import Row, decimal_text, group_digits, number_style


def escape(text: object) -> str:
    """django.utils.html.escape's result (the same five characters), without its lazy-text
    wrapper, which cost more than the escaping at thousands of calls."""
    return html.escape(str(text), quote=True)


def _name_link(row: Row) -> str:
    name = escape(row.name)
    return f'<a href="{escape(row.url)}">{name}</a>' if row.url else name


def _signoff_badge(state, with_title: bool = False) -> str:
    if not state:
        return ""
    text = state.summary if state.code == "summary" else state.label
    title = f' title="{escape(state.who_when)}"' if with_title and state.who_when else ""
    return (
        f'<span class="badge {escape(state.tone)}" data-signoff="{escape(state.code)}"{title}>'
        f"{escape(text)}</span>"
    )


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
    style = number_style()
    lines = []
    for index, row in enumerate(rows, start=1):
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
            f'<tr class="{tone}" data-row="{escape(row.name)}"><td>{rank}{_name_link(row)}'
            f"{approximate if row.approximate else ''}"
            f"{_signoff_badge(row.extra.get('signoff'), with_title=True)}{members_text}</td>"
            f"{''.join(cell.td(style) for cell in row.cells)}{score}</tr>"
        )
    return "".join(lines)


def coverage_items(rows: list[Row]) -> SafeString:
    """The <li> of each unit in the "households not yet reached" list, most first."""
    level2 = gettext("mức 2")
    not_reached = gettext("hộ chưa tiếp cận")
    reached_text = gettext("đã tiếp cận %(reached)s/%(households)s hộ")
    style = number_style()
    items = []
    for index, row in enumerate(rows, start=1):
        coverage = row.extra["coverage"]
        reached = reached_text % {
            "reached": group_digits(coverage.reached, style),
            "households": group_digits(coverage.households, style),
        }
        share = f" ({decimal_text(coverage.share, style)}%)" if coverage.share is not None else ""
        middle = "rank-middle" if index > 5 else ""
        items.append(
            f'<li class="{middle}" data-row="{escape(row.name)}" '
            f'data-name="{escape(row.extra["search"])}" data-not-reached="{coverage.not_reached}">'
            f'<span class="rank">{index}</span>'
            f'<span class="who">{_name_link(row)} <small class="muted">{escape(reached)}{share}'
            f" · {escape(level2)} {group_digits(coverage.level2, style)}/"
            f"{group_digits(coverage.members, style)}</small></span>"
            f'<span class="figure"><b>{group_digits(coverage.not_reached, style)}</b>'
            f'<small class="muted"> {escape(not_reached)}</small></span></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 — every user text escaped above


def ranking_items(units: list[RankedUnit]) -> SafeString:
    """The <li> of each unit in the ranking by the chosen indicator."""
    style = number_style()
    items = []
    for unit in units:
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
        items.append(
            f'<li class="{middle}" data-rank="{unit.rank}" data-name="{escape(unit.search)}" '
            f'data-row="{escape(unit.row.name)}"><span class="rank">{unit.rank}</span>'
            f'<span class="who">{_name_link(unit.row)}'
            f"{_signoff_badge(unit.row.extra.get('signoff'))}</span>"
            f'<span class="figure" data-achieved="{int(cell.achieved)}">'
            f"<b>{group_digits(cell.achieved, style)}</b>{target} {pct}</span></li>"
        )
    return mark_safe("".join(items))  # noqa: S308 — every user text escaped above
