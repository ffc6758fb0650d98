from django.urls import include, path
from machina import urls as machina_urls

from . import views

urlpatterns = [
    path("ask/", views.ask, name="forum_ask"),
    path("ask/suggestions/", views.ask_suggestions, name="forum_ask_suggestions"),
    path("ask/open/", views.ask_open, name="forum_ask_open"),
    path("unanswered/", views.unanswered, name="forum_unanswered"),
    path("post/<int:post_id>/solution/", views.mark_solution, name="forum_mark_solution"),
    path("topic/<int:topic_id>/solution/clear/", views.clear_solution, name="forum_clear_solution"),
    path("topic/<int:topic_id>/me-too/", views.me_too, name="forum_me_too"),
    path("post/<int:post_id>/helpful/", views.helpful, name="forum_helpful"),
    path("forum/<int:forum_id>/follow/", views.forum_follow, name="forum_follow"),
    path("post/<int:post_id>/report/", views.report_post, name="forum_report_post"),
    path("reports/", views.reports, name="forum_reports"),
    path("reports/<int:report_id>/resolve/", views.resolve_report, name="forum_resolve_report"),
    path("topic/<int:topic_id>/promote/", views.promote_topic, name="forum_promote_topic"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="forum_unsubscribe"),
    # Same URL as machina's forum page, matched first, to add topic filters.
    path("forum/<str:slug>-<int:pk>/", views.FilteredForumView.as_view(), name="forum_filtered"),
    # machina's topic page, matched first, with the anonymous page cache.
    path(
        "forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/",
        views.CachedTopicView.as_view(),
        name="forum_topic",
    ),
    # machina's posting URLs, matched first, with safe attachments and posting limits.
    path(
        "forum/<str:forum_slug>-<int:forum_pk>/topic/create/",
        views.SafeTopicCreateView.as_view(),
        name="forum_topic_create",
    ),
    path(
        "forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/update/",
        views.SafeTopicUpdateView.as_view(),
        name="forum_topic_update",
    ),
    path(
        "forum/<str:forum_slug>-<int:forum_pk>/topic/<str:topic_slug>-<int:topic_pk>/post/create/",
        views.SafePostCreateView.as_view(),
        name="forum_post_create",
    ),
    path(
        "forum/<str:forum_slug>-<int:forum_pk>/topic/<str:topic_slug>-<int:topic_pk>/<int:pk>/"
        "post/update/",
        views.SafePostUpdateView.as_view(),
        name="forum_post_update",
    ),
    path("", include(machina_urls)),
]
