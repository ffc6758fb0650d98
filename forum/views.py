"""Entry points of our own around machina's views."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from machina.apps.forum.models import Forum
from machina.core.loading import get_class

PermissionHandler = get_class("forum_permission.handler", "PermissionHandler")


def forums_open_for_questions(user) -> list[Forum]:
    """Forums in which ``user`` may start a topic, in tree order."""
    handler = PermissionHandler()
    readable = handler.forum_list_filter(Forum.objects.filter(type=Forum.FORUM_POST), user)
    return [forum for forum in readable if handler.can_add_topic(forum, user)]


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question: pick where it belongs, then machina's topic form takes over."""
    return render(request, "forum/ask.html", {"forums": forums_open_for_questions(request.user)})
