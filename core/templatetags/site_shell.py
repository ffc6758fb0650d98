from django import template
from django.utils.translation import get_language, get_language_bidi

from core.languages import language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """Links to the current page in every enabled language."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    return language_links(path, get_language(), page=context.get("page"))


@register.simple_tag
def text_direction() -> str:
    return "rtl" if get_language_bidi() else "ltr"
