"""`manage.py retention_apply [--dry-run]`: apply the retention periods now, rule by rule."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from workspace.retention import retention_apply


class Command(BaseCommand):
    help = "Remove the personal data whose retention period is over (TUNGNHA_RETENTION)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be removed; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        for result in retention_apply(dry_run=dry_run):
            cutoff = timezone.localtime(result.cutoff).strftime("%d/%m/%Y")
            if dry_run:
                line = _("%(rule)s (trước %(cutoff)s): sẽ xoá %(due)d") % {
                    "rule": result.label,
                    "cutoff": cutoff,
                    "due": result.due,
                }
            else:
                line = _("%(rule)s (trước %(cutoff)s): đã xoá %(removed)d") % {
                    "rule": result.label,
                    "cutoff": cutoff,
                    "removed": result.removed,
                }
            self.stdout.write(f"{result.key}: {line}")
