"""People and their reach: users, roles at areas, teams; invitations and area assignments."""

from .assignments import Assignment, AssignmentQuerySet, Invitation, ReleaseReason
from .people import (
    COORDINATOR_ROLES,
    FIELD_ROLES,
    ROLE_RANK,
    Membership,
    MembershipQuerySet,
    Role,
    Team,
    User,
    UserManager,
)

__all__ = [
    "COORDINATOR_ROLES",
    "FIELD_ROLES",
    "ROLE_RANK",
    "Assignment",
    "AssignmentQuerySet",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "ReleaseReason",
    "Role",
    "Team",
    "User",
    "UserManager",
]
