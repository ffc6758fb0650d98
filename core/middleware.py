"""Request guards that apply to every URL, including those of machina and Wagtail."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # the largest primary key any supported database can hold


class RejectOversizedIdsMiddleware:
    """404 for a URL whose ``<int:…>`` part is larger than any database integer.

    Without this, ``/…/99999999999999999999/`` reaches the database driver, which raises
    OverflowError (a 500) instead of finding nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if not any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in values):
            return None
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": _("Not found.")}, status=404)
        raise Http404
