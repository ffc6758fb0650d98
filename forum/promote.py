"""Turn a solved thread into a draft help article that then goes through editorial review."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from machina.apps.forum_conversation.models import Topic
from wagtail.models import Locale

from kb.models import ArticlePage, ArticleType, HelpCenterPage, ProductPage

from .models import TopicSolution


def promotion_parent(topic: Topic, locale: Locale):
    """The product page whose community forum this is, else the help center."""
    product = ProductPage.objects.filter(community_forum=topic.forum, locale=locale).first()
    return product or HelpCenterPage.objects.filter(locale=locale).first()


def user_can_promote(user, topic: Topic, locale: Locale) -> bool:
    parent = promotion_parent(topic, locale)
    return bool(
        parent and user.is_authenticated and parent.permissions_for_user(user).can_add_subpage()
    )


@transaction.atomic
def article_promote_from_thread(
    *, topic: Topic, user, locale: Locale, thread_url: str
) -> ArticlePage:
    """A draft troubleshooting article: the question as summary, the accepted answer as body."""
    solution = TopicSolution.objects.select_related("post").filter(topic=topic).first()
    if solution is None:
        raise ValidationError(_("Only solved threads can become articles."))
    if not user_can_promote(user, topic, locale):
        raise PermissionDenied(_("You can't create articles here."))
    parent = promotion_parent(topic, locale)
    question = strip_tags(topic.first_post.content.rendered).strip()
    body = [
        {"type": "heading", "value": {"text": _("Symptom"), "level": "h2"}},
        {"type": "text", "value": topic.first_post.content.rendered},
        {"type": "heading", "value": {"text": _("Solution"), "level": "h2"}},
        {"type": "text", "value": solution.post.content.rendered},
        {
            "type": "callout",
            "value": {
                "kind": "tip",
                "text": '<p>{} <a href="{}">{}</a></p>'.format(
                    escape(_("Answered first in the community:")),
                    escape(thread_url),
                    escape(topic.subject),
                ),
            },
        },
    ]
    article = ArticlePage(
        title=topic.subject[:255],
        slug=slugify(topic.subject, allow_unicode=True)[:60] or "article",
        summary=Truncator(question).chars(300),
        article_type=ArticleType.TROUBLESHOOTING,
        body=json.dumps(body),
        locale=locale,
        live=False,
    )
    siblings = parent.get_children()
    base, n = article.slug, 2
    while siblings.filter(slug=article.slug).exists():
        article.slug, n = f"{base}-{n}", n + 1
    parent.add_child(instance=article)
    if isinstance(parent.specific, ProductPage):
        article.products.add(parent.specific)
    article.save_revision(user=user)
    return article
