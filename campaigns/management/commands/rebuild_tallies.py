from django.core.management.base import BaseCommand, CommandParser

from campaigns.tallies import tallies_check_drift, tallies_rebuild


class Command(BaseCommand):
    help = "Rebuild the campaign summary tables from the raw records (or only check for drift)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only compare and report drift")

    def handle(self, *args, check: bool, **options) -> None:
        if check:
            report = tallies_check_drift()
            self.stdout.write(f"drift rows: {report.drift_count} (report {report.pk})")
            return
        tallies = tallies_rebuild()
        self.stdout.write(
            f"rebuilt {len(tallies.areas)} area rows, {len(tallies.volunteers)} volunteer rows"
        )
