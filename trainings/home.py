"""The field volunteer's home section: my sessions (planned, held) and my totals."""

from volunteers.models import User

from .models import SessionState
from .selectors import my_sessions, my_training_totals

SHOWN = 5


def field_home_context(user: User) -> dict:
    sessions = my_sessions(user=user)
    return {
        "planned_sessions": list(sessions.filter(state=SessionState.PLANNED)[:SHOWN]),
        "held_sessions": list(sessions.filter(state=SessionState.HELD)[:SHOWN]),
        "training_totals": my_training_totals(user=user),
    }
