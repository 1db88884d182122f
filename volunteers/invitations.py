"""Invitations: a coordinator makes a link (and a QR code), a volunteer opens it and joins a team.

Sign-up is closed to the public (see adapter.py); this is the door. A link carries a team and an
area, expires, and admits a limited number of people. A link creates a new account, or adds a
role to the account that is signed in: it never signs anyone into an existing account. Someone a
coordinator already added claims their account with a one-time code (claims.py), and an existing
account is offered a role it accepts once signed in (`role_invitation_*` below).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.phones import normalize_phone
from core.privacy import privacy_check_fields
from core.qr import qr_svg

from .models import Invitation, Membership, Role, RoleInvitation, Team, User

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
    """Create a new volunteer and put them in the team. An existing account is never entered
    through a link, whatever its state: its owner signs in and opens the link again (or, for an
    account a coordinator pre-added, uses the code the coordinator handed over)."""
    privacy_check_fields({"full_name": full_name})  # create_user() skips full_clean()
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists() or (
        email and User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(
            _(
                "Số điện thoại hoặc email này đã có tài khoản. Hãy đăng nhập rồi mở lại đường "
                "dẫn mời; nếu cán bộ phường đã thêm bạn trước, hãy dùng mã nhận tài khoản họ "
                "đưa cho bạn."
            ),
            code="account_exists",
        )
    invitation = _spend(invitation)
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


# --- Roles offered to existing accounts ----------------------------------------------------------
ROLE_INVITATION_DAYS = 30


def role_invitation_offer(
    *, user: User, role: str, area: Area, team: Team | None, created_by: User | None
) -> RoleInvitation:
    """Offer `role` at `area` to an existing account; the same pending offer is renewed."""
    expires_at = timezone.now() + datetime.timedelta(days=ROLE_INVITATION_DAYS)
    offer = RoleInvitation.objects.filter(
        user=user, role=role, area=area, accepted_at__isnull=True, declined_at__isnull=True
    ).first()
    if offer is None:
        offer = RoleInvitation(user=user, role=role, area=area)
    offer.team, offer.created_by, offer.expires_at = team, created_by, expires_at
    offer.save()
    return offer


def role_invitations_pending_for(*, user: User) -> QuerySet[RoleInvitation]:
    return RoleInvitation.objects.filter(
        user=user,
        accepted_at__isnull=True,
        declined_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("area", "team")


@transaction.atomic
def role_invitation_answer(*, user: User, pk: int, accept: bool) -> RoleInvitation:
    """The signed-in owner accepts (a membership is made) or declines an offer made to them."""
    offer = (
        role_invitations_pending_for(user=user)
        .select_for_update(of=("self",))
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise ValidationError(_("Lời mời này không còn hiệu lực."), code="unusable")
    if offer.team is not None and not offer.team.is_active:
        raise ValidationError(_("Tổ này không còn hoạt động."), code="team")
    now = timezone.now()
    if accept:
        membership, created = Membership.objects.get_or_create(
            user=user, role=offer.role, area=offer.area, defaults={"team": offer.team}
        )
        if not created:
            membership.is_active, membership.team = True, offer.team
            membership.save(update_fields=["is_active", "team"])
        offer.accepted_at = now
    else:
        offer.declined_at = now
    offer.save(update_fields=["accepted_at", "declined_at"])
    return offer
