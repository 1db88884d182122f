from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Lớp kỹ năng số, tài liệu và tuyên truyền")

    def ready(self) -> None:
        from core.activity import activity_source_register
        from core.jobs.runner import job_kind_register
        from volunteers.access import FIELD
        from volunteers.home import HomeSection, register_home_section

        from .counting import SENDER, all_deltas
        from .home import field_home_context
        from .services.imports import SESSION_IMPORTS

        activity_source_register(SENDER, all_deltas)
        # The one runner (core.jobs) runs, retries and sweeps the back-entry imports.
        job_kind_register(SESSION_IMPORTS)
        _register_authority()
        register_home_section(
            HomeSection(
                template="trainings/_home_section.html",
                roles=FIELD,
                context=field_home_context,
                order=40,
            )
        )


def _register_authority() -> None:
    """Who may change what (volunteers.authority): roles held at the object's area or above."""
    from volunteers.authority import Action, AuthorityRule, authority_rule_register

    from .models import AwarenessPost, Document, TrainingSession
    from .selectors import EDITORS, session_is_run_by

    editors = {Action.EDIT: EDITORS, Action.DELETE: EDITORS}
    authority_rule_register(
        TrainingSession,
        AuthorityRule(area=lambda session: session.area, roles=editors, owner=session_is_run_by),
    )
    authority_rule_register(
        Document,
        AuthorityRule(
            area=lambda document: document.area,
            roles=editors,
            owner=lambda document, user: document.uploaded_by_id == user.pk,
        ),
    )
    authority_rule_register(
        AwarenessPost,
        AuthorityRule(
            area=lambda post: post.area,
            roles=editors,
            owner=lambda post, user: post.author_id == user.pk,
        ),
    )
