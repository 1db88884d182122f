"""The registry's counts: households and their members per area where households live (the
residential groups), kept in step by every door that adds, moves, changes or removes a
household, so coverage reads one row per group instead of every household on the lists.

By job: models (the count rows), services (recount what a door touched; rebuild all),
selectors (the counts of any units, rolled up from their groups).
"""
