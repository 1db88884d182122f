"""Thin views: parse, call a selector or a service, render. The outbox posts to `sync`.

A package by job: the household pages, a volunteer's own visits, and the phone's offline way
in (sync, shell, PWA files)."""

from .households import (
    household_create_view,
    household_detail,
    household_edit,
    household_list,
    visit_create,
)
from .offline import local_visit, manifest, mine, ping, service_worker, shell, sync
from .visits import my_visits, visit_edit_view, visit_withdraw_view

__all__ = [
    "household_create_view",
    "household_detail",
    "household_edit",
    "household_list",
    "local_visit",
    "manifest",
    "mine",
    "my_visits",
    "ping",
    "service_worker",
    "shell",
    "sync",
    "visit_create",
    "visit_edit_view",
    "visit_withdraw_view",
]
