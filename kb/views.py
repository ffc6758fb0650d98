"""Feedback votes on articles: JSON for scripts, a redirect with a message for plain forms."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import VOTING_TOO_FAST, rate_limit
from core.visitors import visitor_key

from .forms import FeedbackForm
from .models import ArticlePage
from .services import article_record_feedback


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@rate_limit(
    "vote",
    limit=30,
    seconds=600,
    message=VOTING_TOO_FAST,
)
def article_feedback(request: HttpRequest, page_id: int) -> HttpResponse:
    article = ArticlePage.objects.live().public().filter(pk=page_id).first()
    if article is None:
        if wants_json(request):
            return JsonResponse({"error": _("No such article.")}, status=404)
        raise Http404(_("No such article."))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        request.kb_feedback_form = form  # the article re-renders with what was typed
        response = article.serve(request)
        response.status_code = 400
        return response
    _vote, created = article_record_feedback(
        article=article,
        voter=visitor_key(request),
        helpful=form.cleaned_data["helpful"],
        reason=form.cleaned_data["reason"],
        comment=form.cleaned_data["comment"],
    )
    message = _("Thanks for your feedback!") if created else _("Your feedback was updated.")
    if wants_json(request):
        status = 201 if created else 200
        return JsonResponse({"message": message, "created": created}, status=status)
    messages.success(request, message)
    return redirect(article.get_url(request) + "#feedback")
