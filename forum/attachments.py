"""Attachments: screenshots and PDFs only, recognised by their content, at most 5 MB and 5 a post.

machina checks neither type nor size (django-machina #181); its views use the formset defined
here through our subclasses in ``forum.views``.
"""

import os
import unicodedata

from django import forms
from django.forms.models import modelformset_factory
from django.utils.translation import gettext_lazy as _
from machina.apps.forum_conversation.forum_attachments.forms import (
    AttachmentForm,
    BaseAttachmentFormset,
)
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def detect_attachment_kind(upload) -> str | None:
    """File extension for what the bytes really are (png, jpg, webp, pdf), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    try:
        with Image.open(upload) as picture:
            kind = IMAGE_FORMATS.get(picture.format or "")
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return kind


def safe_attachment_name(name: str, extension: str) -> str:
    """An ASCII file name without paths, ending in the extension of the real content."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in ascii_stem).strip("-_")
    return f"{(cleaned or 'attachment')[:80]}.{extension}"


class SafeAttachmentForm(AttachmentForm):
    """machina's attachment form, refusing anything but real images and PDFs within the limit."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "size"):
            return upload
        if upload.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Files can be at most 5 MB; this one is bigger."))
        kind = detect_attachment_kind(upload)
        if kind is None:
            raise forms.ValidationError(
                _(
                    "Only screenshots and photos (PNG, JPEG, WebP) and PDF documents "
                    "can be attached."
                )
            )
        upload.name = safe_attachment_name(upload.name, kind)
        return upload


SafeAttachmentFormset = modelformset_factory(
    Attachment,
    SafeAttachmentForm,
    formset=BaseAttachmentFormset,
    can_delete=True,
    extra=1,
    max_num=MAX_ATTACHMENTS,
    validate_max=True,
)
