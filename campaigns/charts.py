"""Small server-drawn SVG charts: no JavaScript, no CDN, readable on a phone and in print."""

import datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import Campaign

WIDTH, HEIGHT, PAD = 640, 220, 28

Series = list[tuple[datetime.date, dict[str, int]]]


def _scale(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def _axis(top: float, first: datetime.date, last: datetime.date) -> SafeString:
    return format_html(
        '<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" class="axis"/>'
        '<text x="{x0}" y="{ty}" class="tick">{first}</text>'
        '<text x="{x1}" y="{ty}" class="tick" text-anchor="end">{last}</text>'
        '<text x="{x0}" y="{top_y}" class="tick">{top}</text>',
        x0=PAD,
        x1=WIDTH - PAD,
        y=HEIGHT - PAD,
        ty=HEIGHT - 8,
        top_y=PAD - 8,
        first=first.strftime("%d/%m"),
        last=last.strftime("%d/%m"),
        top=f"{int(top):,}".replace(",", "."),
    )


def daily_chart(series: Series, key: str) -> SafeString:
    """Bars, one per day. Written with f-strings rather than format_html: every part is a
    number or a date (a campaign has up to a few hundred days, each bar six values)."""
    if not series:
        return SafeString("")
    values = [counts[key] for _, counts in series]
    top = max(max(values), 1)
    step = (WIDTH - 2 * PAD) / len(values)
    bars = "".join(
        f'<rect x="{PAD + index * step:.1f}" y="{_scale(value, top):.1f}" '
        f'width="{max(step - 1, 1):.1f}" height="{HEIGHT - PAD - _scale(value, top):.1f}" '
        f'class="bar"><title>{day.strftime("%d/%m")}: {int(value)}</title></rect>'
        for index, ((day, _), value) in enumerate(zip(series, values, strict=True))
    )
    return format_html(
        '<svg viewBox="0 0 {w} {h}" class="chart" role="img" aria-label="{label}">'
        "{axis}{bars}</svg>",
        w=WIDTH,
        h=HEIGHT,
        label=gettext("Kết quả theo ngày"),
        axis=_axis(top, series[0][0], series[-1][0]),
        bars=mark_safe(bars),  # noqa: S308 — numbers and dates only
    )


def cumulative_chart(
    series: Series, key: str, target: int | None, campaign: Campaign
) -> SafeString:
    """The running total against a straight line from zero to the target on the last day."""
    if not series:
        return SafeString("")
    days = campaign.days()
    position = {day: index for index, day in enumerate(days)}
    running, points = 0, []
    for day, counts in series:
        running += counts[key]
        points.append((position.get(day, 0), running))
    top = max(running, target or 0, 1)
    step = (WIDTH - 2 * PAD) / max(len(days) - 1, 1)
    line = " ".join(f"{PAD + index * step:.1f},{_scale(value, top):.1f}" for index, value in points)
    target_line = SafeString("")
    if target:
        target_line = format_html(
            '<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" class="target"/>',
            x0=PAD,
            y0=f"{_scale(0, top):.1f}",
            x1=WIDTH - PAD,
            y1=f"{_scale(target, top):.1f}",
        )
    return format_html(
        '<svg viewBox="0 0 {w} {h}" class="chart" role="img" aria-label="{label}">{axis}{target}'
        '<polyline points="{line}" class="cumulative"/></svg>',
        w=WIDTH,
        h=HEIGHT,
        label=gettext("Lũy kế so với chỉ tiêu"),
        axis=_axis(top, days[0], days[-1]),
        target=target_line,
        line=line,
    )
