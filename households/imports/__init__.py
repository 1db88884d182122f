"""Imports and exports of households and visits for the coordinator workspace.

Kept in the households app (which may depend on volunteers), reached from the workspace through
dotted paths, so volunteers never imports households.
"""
