"""Background work for the community; runs after the transaction that caused it commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def notify_asker_of_solution(solution_id: int) -> None:
    """Tell the asker that a reply to their question was marked as the solution."""
    from .models import TopicSolution

    solution = (
        TopicSolution.objects.select_related("topic__poster", "topic__forum", "marked_by")
        .filter(pk=solution_id)
        .first()
    )
    if solution is None or not solution.topic.poster or not solution.topic.poster.email:
        return
    asker = solution.topic.poster
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "solution": solution,
            "topic": solution.topic,
            "asker": asker,
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        send_mail(
            subject=render_to_string("forum/email/solution_subject.txt", context).strip(),
            message=render_to_string("forum/email/solution_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[asker.email],
        )
