"""The dashboard's lists built in Python: a unit's name is escaped wherever it appears, and
numbers read as the page's language writes them."""

from django.utils import translation

from campaigns.dashboard_html import coverage_items, ranking_items
from campaigns.selectors.coverage import Coverage
from campaigns.selectors.ranking import RankedUnit
from campaigns.selectors.rows import Cell, Row

NAME = 'Tổ <b onmouseover="x()">1</b> & "2"'


def _row() -> Row:
    return Row(
        name=NAME,
        url='/a/"x"/',
        cells=[],
        extra={"coverage": Coverage(households=3, reached=1, members=8, level2=2), "search": NAME},
    )


def test_names_are_escaped_in_both_lists():
    row = _row()
    cell = Cell(key="install_guidance", label="", achieved=1234, target=2000, pct=61.7)
    html = coverage_items([row]) + ranking_items(
        [RankedUnit(rank=1, row=row, cell=cell, middle=False, search=NAME, tone="warn")]
    )
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;1&lt;/b&gt; &amp; &quot;2&quot;" in html
    assert 'href="/a/&quot;x&quot;/"' in html


def test_numbers_follow_the_language():
    row = _row()
    cell = Cell(key="install_guidance", label="", achieved=1234, target=2000, pct=61.7)
    unit = RankedUnit(rank=1, row=row, cell=cell, middle=False, search="", tone="warn")
    with translation.override("vi"):
        vi = ranking_items([unit]) + coverage_items([row])
    with translation.override("en"):
        en = ranking_items([unit]) + coverage_items([row])
    assert "61,7%" in vi
    assert "1.234" in vi
    assert "(33,3%)" in vi
    assert "đã tiếp cận 1/3 hộ" in vi
    assert "61.7%" in en
    assert "1,234" in en
    assert 'data-achieved="1234"' in vi


def test_the_fast_number_texts_equal_what_the_templates_would_write():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.formats import localize

    from campaigns.selectors.rows import decimal_text, group_digits, number_style

    for language in ("vi", "en"):
        with translation.override(language):
            style = number_style()
            for share in (0.5, 61.7, 100.0, 1234.5, 33.3):
                assert decimal_text(share, style) == localize(share)
            for count in (0, 7, 999, 1000, 1234567):
                assert group_digits(count, style) == intcomma(count)
