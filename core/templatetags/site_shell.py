from django import template
from django.utils.translation import get_language, get_language_bidi, get_language_info

from core.languages import language_links, missing_translation_language

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


@register.inclusion_tag("includes/untranslated_notice.html", takes_context=True)
def untranslated_notice(context):
    """A notice, in the language asked for, that this page has no translation into it yet."""
    code = missing_translation_language(context.get("request"), context.get("page"))
    return {"code": code, "info": get_language_info(code) if code else None}
