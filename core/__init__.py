"""The shared layer below every app: contracts only, no models of the domain.

The activity contract (what households and trainings record and campaigns counts), the offline
sync protocol, the job base, the spreadsheet reader and writer, text normalisation. Nothing
here imports an app above it (import-linter checks this in CI).
"""
