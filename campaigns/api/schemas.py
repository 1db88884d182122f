"""The API's typed answers: the OpenAPI document is generated from these models."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

Era = Literal["legacy", "current"]


class ErrorDetail(Schema):
    parameter: str = Field(description="The query or path parameter at fault.", examples=["area"])
    message: str = Field(examples=["area phải là số nguyên dương, chỉ gồm chữ số 0–9."])


class Error(Schema):
    """Every answer other than 200 and 304, whatever the status."""

    error: str = Field(
        description="What went wrong, in the request's language (Accept-Language: vi, en).",
        examples=["Tham số không hợp lệ."],
    )
    code: str = Field(
        description="Stable: bad_parameter, area_required, unauthorized, forbidden, not_found, "
        "method_not_allowed, rate_limited, too_large, server_error.",
        examples=["bad_parameter"],
    )
    status: int = Field(examples=[400])
    details: list[ErrorDetail] = Field(default_factory=list)


class AreaRef(Schema):
    id: int = Field(examples=[307])
    code: str = Field(description="National code; (era, code) is unique.", examples=["00307"])
    name: str = Field(examples=["Phường Định Công"])
    era: Era
    level: int = Field(
        description="1 province/city, 2 district (legacy), 3 ward/commune, 4 group.",
        examples=[3],
    )


class AreaOut(AreaRef):
    kind: str = Field(description="phuong, xa, quan, huyen, tinh, …", examples=["phuong"])
    kind_label: str = Field(examples=["Phường"])
    parent_id: int | None = Field(description="None for a province.", examples=[8])
    parent_code: str | None = Field(examples=["008"])
    valid_from: datetime.date | None = Field(examples=[None])
    valid_to: datetime.date | None = Field(
        description="The last day the unit stood (30 June 2025 for the legacy tree).",
        examples=["2025-06-30"],
    )


class AreaPage(Schema):
    count: int = Field(description="Rows matching, over every page.")
    page: int
    page_size: int
    next: str | None = Field(description="The next page's URL, None on the last.")
    areas: list[AreaOut]


class Succession(Schema):
    predecessor: AreaRef
    successor: AreaRef
    is_partial: bool = Field(
        description="The old unit was split between several new ones: figures carried onto "
        "one of them are approximate."
    )
    effective_on: datetime.date = Field(examples=["2025-07-01"])


class SuccessionPage(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    mapping: list[Succession]


class AreaDetail(AreaOut):
    successors: list[Succession] = Field(description="What the unit became (legacy units).")
    predecessors: list[Succession] = Field(description="What the unit was made of (current).")


class Figure(Schema):
    achieved: int = Field(description="Counted from the records, never typed.", examples=[120])
    target: int | None = Field(
        description="The area's target, else the sum of the targets set below it.",
        examples=[480],
    )
    percent: float | None = Field(
        description="achieved / target × 100, 1 decimal.", examples=[25.0]
    )


Totals = dict[str, Figure]
TOTALS_DESCRIPTION = "One Figure per indicator the campaign tracks, keyed as in /indicators/."


class CampaignOut(Schema):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Tháng Thanh niên 2026"])
    theme: str
    start: datetime.date
    end: datetime.date
    status: Literal["draft", "active", "closed"]
    era: Era = Field(description="The tree the campaign rolls up through.")
    scope: AreaRef
    roots: list[AreaRef] = Field(
        description="Where this key's view of the campaign starts: the scope, or the key's "
        "own units inside it (several for a user with roles in several areas)."
    )
    indicators: list[str] = Field(examples=[["households_visited", "level2_activations"]])
    updated_at: datetime.datetime
    totals_url: str
    subtree_url: str
    series_url: str


class CampaignList(Schema):
    campaigns: list[CampaignOut]


class Indicator(Schema):
    key: str = Field(examples=["level2_activations"])
    label: str = Field(examples=["Kích hoạt định danh điện tử mức 2"])
    additive: bool = Field(
        description="Whether a parent's figure is the sum of its children's plus what is "
        "recorded on the parent itself. Participations (distinct volunteer × day) are not."
    )


class IndicatorList(Schema):
    campaign_id: int
    indicators: list[Indicator]


class ChildRow(AreaRef):
    unique_volunteers: int = Field(description="Distinct volunteers active in the area.")
    updated_at: datetime.datetime | None
    totals: Totals = Field(description=TOTALS_DESCRIPTION)


class TotalsOut(Schema):
    campaign: CampaignOut
    area: AreaRef
    updated_at: datetime.datetime | None = Field(description="When the area's totals last moved.")
    unique_volunteers: int
    totals: Totals = Field(description=TOTALS_DESCRIPTION)
    children: list[ChildRow]


class CoverageFigures(Schema):
    households: int = Field(description="Households on the registry (the lists as they stand).")
    reached: int = Field(
        description="Households met by a counted visit in the campaign's period (not "
        "'nobody at home', not rejected)."
    )
    not_reached: int
    share: float | None = Field(description="reached ÷ households, in %; null without any.")
    members: int = Field(description="People on the registry's households.")
    level2_activations: int
    level2_share: float | None = Field(description="level-2 activations ÷ members, in %.")


class CoverageRow(AreaRef):
    coverage: CoverageFigures


class CoverageOut(Schema):
    campaign_id: int
    area: AreaRef
    coverage: CoverageFigures
    children: list[CoverageRow]


class SubtreeRow(ChildRow):
    parent_id: int | None
    depth: int = Field(description="Levels below the requested area (0: the area itself).")


class SubtreePage(Schema):
    campaign_id: int
    root: AreaRef
    depth: int
    count: int
    page: int
    page_size: int
    next: str | None
    rows: list[SubtreeRow]


class SeriesDay(Schema):
    day: datetime.date
    counts: dict[str, int] = Field(description="One count per indicator tracked.")


class SeriesOut(Schema):
    campaign_id: int
    area: AreaRef
    indicators: list[str]
    days: list[SeriesDay] = Field(
        description="Every day of the period up to today, quiet days included (zeros)."
    )
