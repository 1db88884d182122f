import importlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from volunteers.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_foundation

# The order records depend on each other: households before the assignments over them, visits
# and trainings before the campaigns that count them.
DEMO_MODULES = [
    "households.demo",
    "households.demo_city",
    "workspace.demo",
    "trainings.demo",
    "campaigns.demo",
]


class Command(BaseCommand):
    help = "Build the demo world (Hanoi in both eras, teams, one login per role). Safe to rerun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="multiply the demo records (benchmarks use more)"
        )
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the logins")

    def handle(self, *args, scale: int, quiet_logins: bool, **options) -> None:
        world = seed_foundation()
        for name in DEMO_MODULES:
            if not apps.is_installed(name.split(".")[0]):
                continue
            importlib.import_module(name).seed(world, scale=scale)
            self.stdout.write(f"demo data: {name} ready")
        if not quiet_logins:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for login in DEMO_LOGINS:
                self.stdout.write(
                    f"  {login.role:<17} {login.phone}  {login.email:<24} {login.full_name}"
                )
