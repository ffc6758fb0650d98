"""Our community views around machina's: asking, solutions, votes, unanswered questions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.core.loading import get_class
from wagtail.models import Locale

from core.pagecache import cache_shared_page, generations
from core.ratelimit import VOTING_TOO_FAST, rate_limit
from core.text import single_line
from core.visitors import visitor_key

from . import services
from .attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, SafeAttachmentFormset
from .forms import ReportForm
from .limits import link_limit_message, posting_limit_hit
from .models import PostReport
from .notifications import read_unsubscribe_token
from .promote import article_promote_from_thread
from .receivers import FORUM_ACCESS_GENERATION, MEMBER_GROUPS_GENERATION
from .rules import PermissionHandler, request_permission_handler, user_can_read_topic
from .selectors import similar_help
from .topic_page import topic_actions, topic_community

ASK_TITLE_MAX = 200


def forums_open_for_questions(user) -> list[Forum]:
    """Forums in which ``user`` may start a topic, in tree order."""
    handler = PermissionHandler()
    readable = handler.forum_list_filter(Forum.objects.filter(type=Forum.FORUM_POST), user)
    return [forum for forum in readable if handler.can_add_topic(forum, user)]


def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question: first show what may already answer it, then hand over to the topic form.

    Anyone can look for answers here; choosing "Ask the community" needs an account.
    """
    title = single_line(request.GET.get("title"), ASK_TITLE_MAX)
    suggestions = similar_help(title, language=get_language(), user=request.user) if title else []
    return render(
        request,
        "forum/ask.html",
        {
            "title": title,
            "suggestions": suggestions,
            "forums": forums_open_for_questions(request.user)
            if request.user.is_authenticated
            else [],
        },
    )


def ask_suggestions(request: HttpRequest) -> JsonResponse:
    """Suggestions while the title is typed (at most five)."""
    title = single_line(request.GET.get("q"), ASK_TITLE_MAX)
    results = similar_help(title, language=get_language(), user=request.user) if title else []
    return JsonResponse(
        {
            "query": title,
            "results": [
                {
                    "kind": s.kind,
                    "title": s.title,
                    "snippet": s.snippet[:160],
                    "url": deflection_url(s.url, title),
                }
                for s in results
            ],
        }
    )


def deflection_url(target: str, query: str) -> str:
    return f"{reverse('forum_ask_open')}?{urlencode({'to': target, 'q': query})}"


def ask_open(request: HttpRequest) -> HttpResponse:
    """Follow a suggestion from the ask page, remembering it for the deflection count."""
    target = request.GET.get("to", "")
    on_site = target.startswith("/") and not target.startswith("//")
    if not on_site or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect("forum_ask")
    services.deflection_record(
        visitor=visitor_key(request),
        query=single_line(request.GET.get("q"), ASK_TITLE_MAX),
        target_url=target,
    )
    return HttpResponseRedirect(target)


def topic_url(topic: Topic, post: Post | None = None) -> str:
    url = reverse(
        "forum_conversation:topic", args=[topic.forum.slug, topic.forum_id, topic.slug, topic.pk]
    )
    return f"{url}?post={post.pk}#{post.pk}" if post else url


def _readable_topic(request, topic_id: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=topic_id)
    if not user_can_read_topic(request.user, topic):
        raise PermissionDenied
    return topic


def _answer(request, *, ok: bool, message: str, url: str, status: int = 200, **data):
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"message": message, **data}, status=status if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect(url)


def _act(request, topic: Topic, action, *, success: str, post: Post | None = None):
    """Run ``action`` (returns whether the mark is now set) and answer in the caller's format."""
    try:
        state = action()
    except ValidationError as error:
        return _answer(
            request, ok=False, message=" ".join(error.messages), url=topic_url(topic, post)
        )
    return _answer(request, ok=True, message=success, url=topic_url(topic, post), state=state)


@require_POST
@login_required
def mark_solution(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("topic__forum"), pk=post_id)
    topic = _readable_topic(request, post.topic_id)

    def mark() -> bool:
        services.thread_mark_solved(topic=topic, post=post, user=request.user)
        return True

    return _act(request, topic, mark, success=_("Marked as the solution."), post=post)


@require_POST
@login_required
def clear_solution(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _readable_topic(request, topic_id)

    def clear() -> bool:
        services.thread_clear_solution(topic=topic, user=request.user)
        return False

    return _act(request, topic, clear, success=_("The solution mark was removed."))


@require_POST
@login_required
@rate_limit(
    "vote",
    limit=30,
    seconds=600,
    message=VOTING_TOO_FAST,
)
def me_too(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _readable_topic(request, topic_id)
    return _act(
        request,
        topic,
        lambda: services.topic_toggle_me_too(topic=topic, user=request.user),
        success=_("Thanks, we counted you."),
    )


@require_POST
@login_required
@rate_limit(
    "vote",
    limit=30,
    seconds=600,
    message=VOTING_TOO_FAST,
)
def helpful(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("topic__forum"), pk=post_id)
    topic = _readable_topic(request, post.topic_id)
    return _act(
        request,
        topic,
        lambda: services.post_toggle_helpful(post=post, user=request.user),
        success=_("Thanks for your vote."),
        post=post,
    )


def unanswered(request: HttpRequest) -> HttpResponse:
    """Questions nobody has answered yet: most shared problems first, then the oldest."""
    forums = PermissionHandler().get_readable_forums(Forum.objects.all(), request.user)
    topics = (
        Topic.approved_objects.filter(forum__in=forums, posts_count__lte=1)
        .select_related("forum", "poster", "last_post", "last_post__poster")
        .annotate(me_too_count=Count("me_too"))
        .order_by("-me_too_count", "created")[:100]
    )
    return render(request, "forum/unanswered.html", {"topics": topics})


def filter_topics(topics, choice: str):
    """Forum list filters: solved, unsolved or without replies."""
    if choice == "solved":
        return topics.filter(solution__isnull=False)
    if choice == "unsolved":
        return topics.filter(solution__isnull=True)
    if choice == "unanswered":
        return topics.filter(posts_count__lte=1)
    return topics


POST_MAX_LENGTH = 20_000  # bounded input for the Markdown parser and the page
HONEYPOT_FIELD = "website"  # hidden from people, filled in by naive bots
MAX_POSTING_REQUEST_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024
ForumView = get_class("forum.views", "ForumView")
TOPIC_FILTERS = ("solved", "unsolved", "unanswered")


class FilteredForumView(ForumView):
    """machina's forum page with solved / unsolved / no-replies filters."""

    def get_queryset(self):
        choice = self.request.GET.get("filter", "")
        return filter_topics(super().get_queryset(), choice if choice in TOPIC_FILTERS else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topic_filter"] = self.request.GET.get("filter", "")
        context["topic_filters"] = TOPIC_FILTERS
        return context


TopicView = get_class("forum_conversation.views", "TopicView")
TrackingHandler = get_class("forum_tracking.handler", "TrackingHandler")


class CachedTopicView(TopicView):
    """machina's topic page, served to anonymous visitors from the page cache.

    ``?post=`` links (one per post) are not cached: they are rendered as usual.
    """

    def get(self, request, **kwargs):
        if "post" not in request.GET:
            topic = self.get_topic()
            cache_shared_page(
                request,
                depends_on=[FORUM_ACCESS_GENERATION, f"topic:{topic.pk}"],
                on_hit="forum.services.topic_count_view",
                on_hit_args=(topic.pk,),
            )
        return super().get(request, **kwargs)

    def get_context_data(self, **kwargs):
        # What the per-post fragment caches vary on besides the post and its poster
        # (templates/forum_conversation/topic_detail.html): the topic's and the expert group's
        # generations, and the one reader permission the cached part uses (attachment links).
        # The forum's slug is in each post's permalink and changes without bumping the topic.
        context = super().get_context_data(**kwargs)
        topic = context["topic"]
        names = [f"topic:{topic.pk}", MEMBER_GROUPS_GENERATION]
        current = generations(names)  # in cache order: read them back in a fixed one
        handler = request_permission_handler(self.request)
        downloads = handler.can_download_files(topic.forum, self.request.user)
        context["post_fragment_vary"] = [
            *(current[name] for name in names),
            topic.forum.slug,
            f"files={downloads:d}",
        ]
        context["actions"] = topic_actions(self.request, topic)
        context["community"] = topic_community(self.request, topic, context["posts"])
        return context

    def send_signal(self, request, response, topic):
        """Count the view and mark the topic read without writing on every GET.

        machina's receivers of ``topic_viewed`` write the view count and the reader's topic
        track on each request, and every write waits for SQLite's one writer: the count goes
        through the batched counter, and the track is written only when there is something
        new to mark read (machina's own handler, unchanged, does the marking).
        """
        services.topic_count_view(topic.pk)
        if request.user.is_authenticated and services.topic_has_unread_for(topic, request.user):
            TrackingHandler().mark_topic_read(topic, request.user)


# Posting views: machina's, with safe attachments and posting limits (see forum.attachments,
# forum.limits). Registered in forum.urls on machina's own URLs, matched first.
TopicCreateView = get_class("forum_conversation.views", "TopicCreateView")
TopicUpdateView = get_class("forum_conversation.views", "TopicUpdateView")
PostCreateView = get_class("forum_conversation.views", "PostCreateView")
PostUpdateView = get_class("forum_conversation.views", "PostUpdateView")


class SafePostingMixin:
    attachment_formset_class = SafeAttachmentFormset
    limited_as = None  # "topic" or "post" for views that create content

    def dispatch(self, request, *args, **kwargs):
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POSTING_REQUEST_BYTES
        if request.method == "POST" and too_big:
            return HttpResponse(_("That upload is too large."), status=413)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, post_form, *args, **kwargs):
        if len(self.request.POST.get("content", "")) > POST_MAX_LENGTH:
            post_form.add_error(
                "content", _("Posts can be at most %(n)s characters long.") % {"n": POST_MAX_LENGTH}
            )
            return self.form_invalid(post_form, *args, **kwargs)
        if self.request.POST.get(HONEYPOT_FIELD):
            post_form.add_error(None, _("Your post looks automated and was not saved."))
            return self.form_invalid(post_form, *args, **kwargs)
        too_many_links = link_limit_message(self.request.user, self.request.POST.get("content", ""))
        if too_many_links:
            post_form.add_error("content", too_many_links)
            return self.form_invalid(post_form, *args, **kwargs)
        hit = self.limited_as and posting_limit_hit(
            self.request, new_topic=self.limited_as == "topic"
        )
        if hit:
            post_form.add_error(None, hit.message)
            response = self.form_invalid(post_form, *args, **kwargs)
            response.status_code = 429
            response["Retry-After"] = str(hit.retry_after)
            return response
        return super().form_valid(post_form, *args, **kwargs)


class SafeTopicCreateView(SafePostingMixin, TopicCreateView):
    limited_as = "topic"

    def get_post_form_kwargs(self):
        kwargs = super().get_post_form_kwargs()
        if self.request.method == "GET" and self.request.GET.get("subject"):
            kwargs["initial"] = {"subject": self.request.GET["subject"][:ASK_TITLE_MAX]}
        return kwargs

    def form_valid(self, post_form, *args, **kwargs):
        response = super().form_valid(post_form, *args, **kwargs)
        if response.status_code == 302:
            services.deflection_mark_posted(visitor=visitor_key(self.request))
            services.topic_record_language(topic=self.forum_post.topic, language=get_language())
        return response


class SafeTopicUpdateView(SafePostingMixin, TopicUpdateView):
    pass


class SafePostCreateView(SafePostingMixin, PostCreateView):
    limited_as = "post"


class SafePostUpdateView(SafePostingMixin, PostUpdateView):
    pass


@require_POST
@login_required
def forum_follow(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Follow or stop following a forum's new questions."""
    forum = get_object_or_404(Forum, pk=forum_id, type=Forum.FORUM_POST)
    if not PermissionHandler().can_read_forum(forum, request.user):
        raise PermissionDenied
    following = services.forum_toggle_follow(forum=forum, user=request.user)
    message = (
        _("You'll get an email for each new question here.")
        if following
        else _("You no longer follow this forum.")
    )
    return _answer(
        request,
        ok=True,
        message=message,
        state=following,
        url=reverse("forum:forum", args=[forum.slug, forum.pk]),
    )


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every notification email: confirm, then stop that subscription."""
    data = read_unsubscribe_token(token)
    if data is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscription_remove(user_id=data["u"], kind=data["k"], object_id=data["o"])
        return render(request, "forum/unsubscribe.html", {"done": True})
    return render(request, "forum/unsubscribe.html", {"kind": data["k"]})


@login_required
def report_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Flag a post for the moderators, with a reason."""
    post = get_object_or_404(Post.objects.select_related("topic__forum"), pk=post_id)
    topic = _readable_topic(request, post.topic_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_report(post=post, reporter=request.user, **form.cleaned_data)
        messages.success(request, _("Thanks, the moderators will have a look."))
        return redirect(topic_url(topic, post))
    return render(
        request,
        "forum/report.html",
        {"form": form, "post": post, "topic": topic, "forum": topic.forum},
    )


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """Open reports in the forums the moderator looks after, newest first."""
    forums = PermissionHandler().get_moderation_queue_forums(request.user)
    if not forums:
        raise PermissionDenied
    open_reports = (
        PostReport.objects.filter(resolved_at__isnull=True, post__topic__forum__in=forums)
        .select_related("post__topic__forum", "post__poster", "reporter")
        .order_by("-created_at")
    )
    return render(request, "forum/reports.html", {"reports": open_reports})


@require_POST
@login_required
def resolve_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(
        PostReport.objects.select_related("post__topic__forum"), pk=report_id
    )
    if not PermissionHandler().can_approve_posts(report.post.topic.forum, request.user):
        raise PermissionDenied
    services.report_resolve(report=report, moderator=request.user)
    messages.success(request, _("Report closed."))
    return redirect("forum_reports")


@require_POST
@login_required
def promote_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Editors: start a help article from a solved thread, then edit it in the CMS."""
    topic = _readable_topic(request, topic_id)
    locale = Locale.objects.filter(language_code=get_language()).first()
    try:
        article = article_promote_from_thread(
            topic=topic,
            user=request.user,
            locale=locale,
            thread_url=request.build_absolute_uri(topic_url(topic)),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(topic_url(topic))
    messages.success(request, _("Draft article created; review it and submit it for publishing."))
    return redirect("wagtailadmin_pages:edit", article.pk)
