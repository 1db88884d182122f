"""Tallies: work recorded as counts per unit and day (as DHIS2's aggregate data sets do).

They live with households because a tally must know the visits of its unit and day to refuse a
silent double count, and because the workspace (which enters them) and campaigns (which reads
their share of each total) both sit above households and must not import each other.
"""
