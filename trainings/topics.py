"""The built-in topics, for code that must make sure they exist after a database flush (the
demo, browser tests). Migration 0002 seeds the same list when the table is created."""

import importlib

from .models import Topic

_seed_module = importlib.import_module("trainings.migrations.0002_builtin_topics")
BASIC_SKILLS = _seed_module.BASIC_SKILLS
NATIONAL_MODULES = _seed_module.NATIONAL_MODULES


def topics_ensure() -> None:
    order = 0
    for kind, rows in (("basic_skill", BASIC_SKILLS), ("national", NATIONAL_MODULES)):
        for code, name in rows:
            order += 10
            Topic.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "order": order}
            )
