"""Awareness posts from one file for many units: platform, URL, day, unit, author.

Rows go through trainings.services.post_add, the one door of posts (so an official entering
them is not counted as a volunteer taking part). A post is known by its URL as normalised
there (tracking parameters dropped): a URL twice in the file is an error of the second row, one
already recorded is listed by row in the preview and skipped, never counted twice.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.phones import normalize_phone
from core.spreadsheets.reader import FileRefused
from core.text import search_key, text_normalise
from households.tallies.services import tally_scope
from trainings.models import AwarenessPost, Platform
from trainings.services import post_add, url_normalize
from volunteers.models import User

from ..resources import PostSheet
from .base import Importer
from .units import UnitLookup
from .visits import parse_day

PLATFORMS = {
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "zalo": Platform.ZALO,
    "tiktok": Platform.TIKTOK,
    "tik tok": Platform.TIKTOK,
    "youtube": Platform.YOUTUBE,
    "trang web": Platform.WEBSITE,
    "website": Platform.WEBSITE,
    "web": Platform.WEBSITE,
    "cong thong tin": Platform.WEBSITE,
}


@dataclass(frozen=True, slots=True)
class PostRow:
    number: int
    platform: str
    url: str
    published_on: datetime.date
    area_id: int
    author_id: int
    title: str
    reach: int | None


class PostImporter(Importer):
    kind = "posts"
    columns = PostSheet.import_columns()

    def prepare(self) -> None:
        scope = tally_scope(user=self.user)
        self.lookup = UnitLookup(root=self.ward, scope=scope)
        # Authors: people holding a role anywhere the user coordinates (a 2023 post is named
        # after today's volunteer, whose role is in today's tree).
        members = User.objects.filter(
            scope.q(field="memberships__area"), is_active=True, memberships__is_active=True
        ).distinct()
        self.by_phone = {user.phone: user for user in members if user.phone}
        self.by_name: dict[str, list[User]] = {}
        for user in members:
            self.by_name.setdefault(search_key(user.full_name), []).append(user)

    def _author(self, text: str, error) -> User | None:
        if not text:
            return self.user
        try:
            found = [self.by_phone[normalize_phone(text)]]
        except (ValidationError, KeyError):
            found = self.by_name.get(search_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            error(
                "author",
                _("Có nhiều người tên “%(name)s”: hãy ghi số điện thoại.") % {"name": text},
            )
        else:
            error(
                "author",
                _("“%(name)s” không phải người có vai trò trong địa bàn bạn phụ trách.")
                % {"name": text},
            )
        return None

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        platform = PLATFORMS.get(search_key(values.get("platform", "")))
        if platform is None:
            error("platform", _("Nền tảng phải là: Facebook, Zalo, TikTok, YouTube, Trang web."))
        try:
            url = url_normalize(values.get("url", ""))
        except ValidationError as problem:
            error("url", " ".join(problem.messages))
            url = None
        day = parse_day(values.get("published_on", ""))
        if day is None:
            error(
                "published_on",
                _("Ngày “%(day)s” không đọc được (ví dụ đúng: 05/03/2023).")
                % {"day": values.get("published_on", "")},
            )
        elif day > timezone.localdate():
            error("published_on", _("Ngày đăng không thể ở tương lai."))
            day = None
        area = self.ward
        if values.get("unit"):
            area = self.lookup.find(values["unit"], day, error)
        author = self._author(values.get("author", ""), error)
        reach = None
        if values.get("reach"):
            try:
                reach = int(values["reach"].replace(".", "").replace(",", "").replace(" ", ""))
            except ValueError:
                reach = -1
            if reach < 0:
                error("reach", _("Lượt tiếp cận phải là số nguyên không âm."))
        if None in (platform, url, day, area, author) or (reach is not None and reach < 0):
            return None
        return PostRow(
            number=number,
            platform=platform,
            url=url,
            published_on=day,
            area_id=area.pk,
            author_id=author.pk,
            title=text_normalise(values.get("title", ""))[:200],
            reach=reach,
        )

    def key(self, record: PostRow) -> str:
        return record.url

    def existing_keys(self, records: list) -> set:
        urls = [record.url for record in records]
        return set(AwarenessPost.objects.filter(Q(url__in=urls)).values_list("url", flat=True))

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        authors = User.objects.in_bulk({record.author_id for record in records})
        for index, record in enumerate(records, start=1):
            try:
                post_add(
                    user=self.user,
                    area=self.lookup.units[record.area_id],
                    platform=record.platform,
                    url=record.url,
                    published_on=record.published_on,
                    author=authors[record.author_id],
                    reach=record.reach,
                    title=record.title,
                )
            except ValidationError as problem:
                raise FileRefused(
                    _("Dòng %(row)d: %(message)s Không có dòng nào được ghi.")
                    % {"row": record.number, "message": " ".join(problem.messages)}
                ) from problem
            progress(index)
        return {"created": len(records)}
