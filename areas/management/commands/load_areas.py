from django.core.management.base import BaseCommand, CommandError, CommandParser

from areas.loading import UnknownProvince, areas_load, province_codes


class Command(BaseCommand):
    help = (
        "Load administrative units (both eras) and the 2025 old→new mapping from vietnam-provinces."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--province", action="append", help="province code, e.g. 01 (repeatable)"
        )
        group.add_argument("--all", action="store_true", help="every province of Vietnam")

    def handle(self, *args, **options) -> None:
        if options["all"]:
            codes = province_codes()
        else:
            try:
                codes = [int(code) for code in options["province"]]
            except ValueError as error:
                raise CommandError(f"Mã tỉnh phải là số, ví dụ 01: {error}") from error
        try:
            report = areas_load(province_codes_to_load=codes)
        except UnknownProvince as error:
            raise CommandError(str(error)) from error
        for label, count in report.created.items():
            self.stdout.write(f"created {label}: {count} units")
        for label in report.skipped:
            self.stdout.write(f"already loaded {label}: unchanged")
        self.stdout.write(f"old→new ward links added: {report.successions}")
