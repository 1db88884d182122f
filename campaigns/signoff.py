"""Writes of the sign-off by level: submit, approve, return, unlock, close, reopen.

A ward (phường/xã) submits its figures for a period; the unit above it in the tree as it stood
— the district before 1 July 2025, the city after — approves them or returns them with a reason;
the city closes the period. While a sign-off is submitted, approved or closed its figures are
frozen: an areas.PeriodLock covers the unit (the whole city when closed) for the period's days,
and core.activity's guard (areas.locks) refuses every change of counts there. Unlocking is the
approving level's, with a reason. Each change of state writes a SignOffEvent; a refused one
raises ValidationError and changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import REFORM_DATE, Area, Era, Level, PeriodLock
from volunteers.access import CITY_AND_UP, COORDINATION, DISTRICT_AND_UP
from volunteers.authority import roles_at
from volunteers.models import User

from .models import (
    Campaign,
    SignOff,
    SignOffAction,
    SignOffEvent,
    SignOffState,
    month_bounds,
)

REASON_MAX = 500


def approving_unit(*, area: Area) -> Area | None:
    """The unit that approves `area`'s figures: its parent as the tree stood (a legacy ward's
    district, a commune's province)."""
    if area.depth <= 1:
        return None
    return Area.objects.filter(path=area.path[: -Area.steplen]).first()


def _root(area: Area) -> Area:
    return Area.objects.get(path=area.path[: Area.steplen])


def _period_filter(campaign: Campaign | None, month: datetime.date | None) -> dict:
    if (campaign is None) == (month is None):
        raise ValueError("a sign-off is for a campaign or for a month")
    return {"campaign": campaign} if campaign is not None else {"month": month.replace(day=1)}


def _period_label(campaign: Campaign | None, month: datetime.date | None) -> str:
    if campaign is not None:
        return campaign.name
    return _("tháng %(month)s") % {"month": month.strftime("%m/%Y")}


def _check_period_fits(area: Area, campaign: Campaign | None, month: datetime.date | None) -> None:
    if campaign is not None:
        if not area.path.startswith(campaign.scope.path):
            raise ValidationError(_("Đơn vị này không thuộc phạm vi của chiến dịch."))
        return
    first, last = month_bounds(month)
    era = Era.LEGACY if last < REFORM_DATE else Era.CURRENT
    if area.era != era:
        raise ValidationError(
            _("Tháng này tính theo địa giới %(era)s: chọn đơn vị của giai đoạn đó.")
            % {"era": Era(era).label}
        )
    if first > timezone.localdate():
        raise ValidationError(_("Không gửi được số liệu của một tháng chưa bắt đầu."))


def closed_over(
    *, area: Area, campaign: Campaign | None = None, month: datetime.date | None = None
) -> SignOff | None:
    """The city's closing of this period over `area`, if it is closed."""
    return (
        SignOff.objects.filter(
            **_period_filter(campaign, month),
            area__path__in=area.ancestor_paths(),
            state=SignOffState.CLOSED,
        )
        .select_related("decided_by")
        .first()
    )


def _refuse_if_closed(area: Area, campaign: Campaign | None, month: datetime.date | None) -> None:
    if closed_over(area=area, campaign=campaign, month=month) is not None:
        raise ValidationError(
            _("Kỳ này đã được thành đoàn khóa sổ: phải mở lại kỳ trước khi thay đổi.")
        )


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": _("Lý do dài quá %(max)s ký tự.") % {"max": REASON_MAX}})
    return text


def _lock_sync(signoff: SignOff) -> None:
    """The frozen days follow the state: a lock while submitted, approved or closed."""
    PeriodLock.objects.filter(owner_key=signoff.lock_key).delete()
    if signoff.is_frozen:
        start, end = signoff.period
        PeriodLock.objects.create(
            area=signoff.area,
            start=start,
            end=end,
            label=signoff.period_label,
            owner_key=signoff.lock_key,
        )


def _move(signoff: SignOff, *, action: str, to_state: str, user: User, reason: str = "") -> SignOff:
    from_state = signoff.state if signoff.pk else ""
    now = timezone.now()
    signoff.state = to_state
    signoff.reason = reason
    if action == SignOffAction.SUBMIT:
        signoff.submitted_by, signoff.submitted_at = user, now
        signoff.decided_by, signoff.decided_at = None, None
    else:
        signoff.decided_by, signoff.decided_at = user, now
    signoff.save()
    SignOffEvent.objects.create(
        signoff=signoff,
        action=action,
        from_state=from_state,
        to_state=to_state,
        by=user,
        reason=reason,
    )
    _lock_sync(signoff)
    return signoff


def _may_approve(user: User, signoff: SignOff) -> None:
    parent = approving_unit(area=signoff.area)
    if parent is None or not (roles_at(user=user, area=parent) & DISTRICT_AND_UP):
        raise ValidationError(
            _(
                "Chỉ cấp trên trực tiếp của %(area)s (quận/huyện đoàn trước 01/7/2025, thành đoàn "
                "từ 01/7/2025) mới duyệt, trả lại hay mở khóa được số liệu này."
            )
            % {"area": signoff.area.name}
        )


def _locked_signoff(pk: int) -> SignOff:
    # Only the sign-off row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer joins that select_related makes (campaign and submitter may be empty).
    return (
        SignOff.objects.select_for_update(of=("self",))
        .select_related("area", "campaign", "submitted_by")
        .get(pk=pk)
    )


# --- The ward --------------------------------------------------------------------------------
@transaction.atomic
def signoff_submit(
    *,
    user: User,
    area: Area,
    campaign: Campaign | None = None,
    month: datetime.date | None = None,
) -> SignOff:
    """A ward sends its figures for the period up: from now on they are frozen."""
    period = _period_filter(campaign, month)
    if area.level != Level.WARD:
        raise ValidationError(_("Chỉ phường/xã gửi số liệu lên cấp trên."))
    if not (roles_at(user=user, area=area) & COORDINATION):
        raise ValidationError(
            _("%(area)s nằm ngoài địa bàn bạn phụ trách: không gửi được số liệu của đơn vị này.")
            % {"area": area.name}
        )
    _check_period_fits(area, campaign, month)
    _refuse_if_closed(area, campaign, month)
    signoff = SignOff.objects.select_for_update().filter(**period, area=area).first()
    if signoff is not None and signoff.state in (SignOffState.SUBMITTED, SignOffState.APPROVED):
        raise ValidationError(
            _("Số liệu của %(area)s cho kỳ này đã %(state)s.")
            % {"area": area.name, "state": signoff.get_state_display()}
        )
    if signoff is None:
        signoff = SignOff(area=area, **period)
    return _move(signoff, action=SignOffAction.SUBMIT, to_state=SignOffState.SUBMITTED, user=user)


# --- The approving level ---------------------------------------------------------------------
@transaction.atomic
def signoff_approve(*, user: User, signoff: SignOff) -> SignOff:
    signoff = _locked_signoff(signoff.pk)
    _may_approve(user, signoff)
    if signoff.submitted_by_id == user.pk:
        raise ValidationError(
            _("Bạn là người gửi số liệu này: một người khác ở cấp duyệt phải duyệt.")
        )
    if signoff.state != SignOffState.SUBMITTED:
        raise ValidationError(
            _("Chỉ duyệt được số liệu đang ở trạng thái đã gửi (hiện: %(state)s).")
            % {"state": signoff.get_state_display()}
        )
    _refuse_if_closed(signoff.area, signoff.campaign, signoff.month)
    return _move(signoff, action=SignOffAction.APPROVE, to_state=SignOffState.APPROVED, user=user)


@transaction.atomic
def signoff_return(*, user: User, signoff: SignOff, reason: str) -> SignOff:
    """Sent back to the ward with a reason: its figures open again for corrections."""
    signoff = _locked_signoff(signoff.pk)
    _may_approve(user, signoff)
    reason = _reason(reason)
    if signoff.state != SignOffState.SUBMITTED:
        raise ValidationError(
            _("Chỉ trả lại được số liệu đang ở trạng thái đã gửi (hiện: %(state)s).")
            % {"state": signoff.get_state_display()}
        )
    _refuse_if_closed(signoff.area, signoff.campaign, signoff.month)
    return _move(
        signoff,
        action=SignOffAction.RETURN,
        to_state=SignOffState.RETURNED,
        user=user,
        reason=reason,
    )


@transaction.atomic
def signoff_unlock(*, user: User, signoff: SignOff, reason: str) -> SignOff:
    """Approved figures opened again by the approving level, with a reason (recorded): the
    ward corrects and submits again."""
    signoff = _locked_signoff(signoff.pk)
    _may_approve(user, signoff)
    reason = _reason(reason)
    if signoff.state != SignOffState.APPROVED:
        raise ValidationError(
            _("Chỉ mở khóa được số liệu đã duyệt (hiện: %(state)s).")
            % {"state": signoff.get_state_display()}
        )
    _refuse_if_closed(signoff.area, signoff.campaign, signoff.month)
    return _move(
        signoff,
        action=SignOffAction.UNLOCK,
        to_state=SignOffState.RETURNED,
        user=user,
        reason=reason,
    )


# --- The city --------------------------------------------------------------------------------
def _may_close(user: User, area: Area) -> None:
    if area.level != Level.PROVINCE or not (roles_at(user=user, area=area) & CITY_AND_UP):
        raise ValidationError(_("Chỉ thành đoàn khóa sổ hoặc mở lại được kỳ báo cáo."))


@transaction.atomic
def period_close(
    *,
    user: User,
    area: Area,
    campaign: Campaign | None = None,
    month: datetime.date | None = None,
) -> SignOff:
    """The city closes the period: every figure of the city for its days is frozen."""
    period = _period_filter(campaign, month)
    if campaign is not None and campaign.scope.path[: Area.steplen] != area.path:
        raise ValidationError(_("Đơn vị này không thuộc phạm vi của chiến dịch."))
    _may_close(user, area)
    if month is not None:
        _check_period_fits(area, None, month)
    signoff = SignOff.objects.select_for_update().filter(**period, area=area).first()
    if signoff is not None and signoff.state == SignOffState.CLOSED:
        raise ValidationError(_("Kỳ này đã được khóa sổ."))
    if signoff is None:
        signoff = SignOff(area=area, submitted_by=user, submitted_at=timezone.now(), **period)
    return _move(signoff, action=SignOffAction.CLOSE, to_state=SignOffState.CLOSED, user=user)


@transaction.atomic
def period_reopen(*, user: User, signoff: SignOff, reason: str) -> SignOff:
    signoff = _locked_signoff(signoff.pk)
    _may_close(user, signoff.area)
    reason = _reason(reason)
    if signoff.state != SignOffState.CLOSED:
        raise ValidationError(_("Kỳ này chưa khóa sổ."))
    return _move(
        signoff,
        action=SignOffAction.REOPEN,
        to_state=SignOffState.REOPENED,
        user=user,
        reason=reason,
    )
