"""Invitations: a coordinator makes a link (and a QR code), a volunteer opens it and joins a team.

Sign-up is closed to the public (see adapter.py); this is the door. A link carries a team and an
area, expires, and admits a limited number of people. Someone a coordinator already added (by
the form or an import) claims their account through the link by typing the same phone number.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.phones import normalize_phone
from core.privacy import privacy_check_fields
from core.qr import qr_svg

from .models import Invitation, Membership, Role, Team, User

DEFAULT_DAYS = 14
DEFAULT_USES = 30


def invitation_create(
    *,
    team: Team,
    created_by: User,
    area: Area | None = None,
    days: int = DEFAULT_DAYS,
    max_uses: int = DEFAULT_USES,
    role: str = Role.VOLUNTEER,
) -> Invitation:
    area = area or team.area
    if not area.path.startswith(team.ward.path):
        raise ValidationError(_("Địa bàn của lời mời phải thuộc phường của tổ."), code="area")
    if not 1 <= days <= 90:
        raise ValidationError(_("Thời hạn phải từ 1 đến 90 ngày."), code="days")
    if not 1 <= max_uses <= 500:
        raise ValidationError(_("Số lượt dùng phải từ 1 đến 500."), code="uses")
    invitation = Invitation(
        team=team,
        area=area,
        role=role,
        max_uses=max_uses,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=created_by,
    )
    invitation.full_clean()
    invitation.save()
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_qr_svg(url: str) -> str:
    """The link as an inline SVG QR code."""
    return qr_svg(url, css_class="qr", as_image=True)


def _unusable_reason(invitation: Invitation) -> str | None:
    if invitation.revoked_at is not None:
        return _("Lời mời này đã bị thu hồi.")
    if invitation.expires_at <= timezone.now():
        return _("Lời mời này đã hết hạn.")
    if invitation.use_count >= invitation.max_uses:
        return _("Lời mời này đã dùng hết số lượt.")
    if not invitation.team.is_active:
        return _("Tổ này không còn hoạt động.")
    return None


def invitation_problem(*, invitation: Invitation) -> str | None:
    """Why the link cannot be used now, in words for the person holding the phone, or None."""
    return _unusable_reason(invitation)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=invitation.role,
        area=invitation.area,
        defaults={"team": invitation.team},
    )
    if not created and (not membership.is_active or membership.team_id != invitation.team_id):
        membership.is_active = True
        membership.team = invitation.team
        membership.save(update_fields=["is_active", "team"])
    return membership


def _spend(invitation: Invitation) -> Invitation:
    """Take one use, under a row lock so two phones cannot both take the last one."""
    locked = Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
    reason = _unusable_reason(locked)
    if reason:
        raise ValidationError(reason, code="unusable")
    Invitation.objects.filter(pk=locked.pk).update(use_count=F("use_count") + 1)
    return locked


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    full_name: str,
    phone: str,
    password: str,
    email: str = "",
) -> User:
    """Create the volunteer (or claim the account a coordinator added) and put them in the team."""
    privacy_check_fields({"full_name": full_name})  # create_user() skips full_clean()
    invitation = _spend(invitation)
    phone = normalize_phone(phone)
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        if user.has_usable_password() or user.last_login is not None:
            raise ValidationError(
                _("Số điện thoại này đã có tài khoản. Hãy đăng nhập rồi mở lại đường dẫn mời."),
                code="phone_taken",
            )
        user.full_name = full_name.strip() or user.full_name
        user.email = email or user.email
        user.is_active = True
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    else:
        user = User.objects.create_user(
            email=email or None, password=password, full_name=full_name.strip(), phone=phone
        )
    _join(invitation, user)
    return user


@transaction.atomic
def invitation_accept_signed_in(*, invitation: Invitation, user: User) -> Membership:
    """Someone already signed in joins the team through the link."""
    invitation = _spend(invitation)
    return _join(invitation, user)
