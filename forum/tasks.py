"""Background work for the community; runs after the transaction that caused it commits."""

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
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


@task()
def notify_subscribers_of_post(post_id: int) -> None:
    """New question → the forum's followers; new reply → the topic's followers."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from machina.apps.forum_conversation.models import Post

    from .models import ForumSubscription
    from .notifications import unsubscribe_token

    post = Post.objects.select_related("topic__forum", "poster").filter(pk=post_id).first()
    if post is None or not post.approved:
        return
    topic = post.topic
    if post.is_topic_head:
        kind, object_id = "forum", topic.forum_id
        user_ids = ForumSubscription.objects.filter(forum=topic.forum).values_list("user_id")
    else:
        kind, object_id = "topic", topic.pk
        user_ids = topic.subscribers.values_list("pk")
    recipients = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(pk=post.poster_id)
        .exclude(email="")
    )
    base = settings.WAGTAILADMIN_BASE_URL
    with translation.override(settings.LANGUAGE_CODE):
        topic_link = (
            base
            + reverse(
                "forum_conversation:topic",
                args=[topic.forum.slug, topic.forum_id, topic.slug, topic.pk],
            )
            + f"?post={post.pk}#{post.pk}"
        )
        for user in recipients:
            token = unsubscribe_token(user_id=user.pk, kind=kind, object_id=object_id)
            context = {
                "post": post,
                "topic": topic,
                "user": user,
                "kind": kind,
                "topic_link": topic_link,
                "unsubscribe_link": base + reverse("forum_unsubscribe", args=[token]),
            }
            EmailMessage(
                subject=render_to_string("forum/email/new_post_subject.txt", context).strip(),
                body=render_to_string("forum/email/new_post_body.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                headers={"List-Unsubscribe": f"<{context['unsubscribe_link']}>"},
            ).send()
