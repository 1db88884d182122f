from django.http import HttpRequest

from .navigation import navigation_for
from .scoping import highest_role, user_roles


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "current_role": None}
    return {"nav_entries": navigation_for(user_roles(user)), "current_role": highest_role(user)}
