"""People and their reach: users, roles at areas, teams; invitations and area assignments."""

from .assignments import Assignment, AssignmentQuerySet, Invitation, ReleaseReason
from .people import (
    COORDINATOR_ROLES,
    FIELD_ROLES,
    ROLE_RANK,
    AccountClaim,
    Membership,
    MembershipQuerySet,
    Role,
    RoleInvitation,
    Team,
    User,
    UserManager,
)

__all__ = [
    "COORDINATOR_ROLES",
    "FIELD_ROLES",
    "ROLE_RANK",
    "AccountClaim",
    "Assignment",
    "AssignmentQuerySet",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "ReleaseReason",
    "Role",
    "RoleInvitation",
    "Team",
    "User",
    "UserManager",
]
