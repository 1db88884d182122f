"""Django's Vietnamese formats, with the thousands grouped: "64.992", as the Youth Union's
reports write them (Django's own vi formats set no NUMBER_GROUPING, so intcomma and
number_format printed "64992")."""

from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
