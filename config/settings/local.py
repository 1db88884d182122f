"""The embedded default: what `make run` serves. SQLite and eager tasks unless configured."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
