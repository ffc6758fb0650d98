"""Demo knowledge base: help centers in every language, manuals, products and articles."""

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from .models import ArticlePage, HelpCenterPage, ProductPage
from .pdf import simple_pdf

logger = logging.getLogger(__name__)


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def help_center_texts(code: str) -> tuple[str, str]:
    with translation.override(code):
        return (
            _("How can we help?"),
            _(
                "Guides, troubleshooting and answers from the community "
                "for everything you bought from us."
            ),
        )


@transaction.atomic
def seed_help_center() -> HelpCenterPage:
    """One help center per language, the English one as the default site's root."""
    locales = ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["en"])
    )
    home = HelpCenterPage.objects.filter(locale=locales["en"]).first()
    if home is None:
        title, intro = help_center_texts("en")
        home = HelpCenterPage(title=title, slug="help", intro=intro, locale=locales["en"])
        root.add_child(instance=home)
        home.save_revision().publish()
        logger.info("Created the English help center")
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    old_root_id = site.root_page_id if site.pk else None
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    site.hostname = base.hostname or "localhost"
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.site_name = "Helpdesk Commons"
    site.root_page = home
    site.save()
    if old_root_id and old_root_id != home.pk:
        stale = Page.objects.filter(pk=old_root_id, content_type__model="page").first()
        if stale is not None:
            stale.delete()  # Wagtail's "Welcome" placeholder
    for code, locale in locales.items():
        if code != "en" and not home.has_translation(locale):
            copy = home.copy_for_translation(locale)
            copy.title, copy.intro = help_center_texts(code)
            copy.save_revision().publish()
            logger.info("Created the %s help center", code)
    return home


DEMO_CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
DEMO_LANGUAGE_ORDER = ["en", "fa", "hi", "ka", "tl"]
DEMO_DOCUMENTS = {
    "InkWell P200 Quick Start Guide (PDF)": [
        "1. Remove all orange tape and the cardboard insert from the paper tray.",
        "2. Connect the power cord and press the power button.",
        "3. Install the black and colour cartridges until they click.",
        "4. Load plain A4 or Letter paper, print side down.",
        "5. Install the InkWell app and choose Add printer.",
        "Help and training: help center > InkWell P200 Home Printer.",
    ],
    "SkyLink AX3000 User Manual (PDF)": [
        "Default admin page: http://192.168.8.1",
        "Default Wi-Fi name and password: on the label under the router.",
        "Reset: hold the RESET button for 10 seconds while powered on.",
        "LED: solid white = online, amber = no internet, blinking = updating.",
    ],
    "LedgerLite Keyboard Shortcuts (PDF)": [
        "Ctrl+N  New invoice        Ctrl+E  New expense",
        "Ctrl+R  Reconcile account  Ctrl+F  Find transaction",
        "Ctrl+P  Print or export    F5      Sync now",
    ],
    "Brightline Warranty Terms (PDF)": [
        "Printers and routers: 2-year limited warranty from the date of purchase.",
        "Software: 90-day media warranty; updates included with an active licence.",
        "Keep your proof of purchase; the serial number is on the product label.",
    ],
}


def seed_demo_documents() -> None:
    """The PDF manuals articles link to, written as real (tiny) PDF files."""
    Document = get_document_model()
    for title, lines in DEMO_DOCUMENTS.items():
        if not Document.objects.filter(title=title).exists():
            filename = slugify(title.replace("(PDF)", "")) + ".pdf"
            Document.objects.create(
                title=title,
                file=ContentFile(simple_pdf(title.replace(" (PDF)", ""), lines), name=filename),
            )
            logger.info("Created demo document %s", title)


def _missing_lines(path: Path) -> list[str]:
    """Lines of a demo file whose pages do not exist yet (re-seeding adds no revisions)."""
    existing = set(ArticlePage.objects.values_list("external_id", flat=True))
    existing |= set(ProductPage.objects.values_list("external_id", flat=True))
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and json.loads(line).get("external_id") not in existing:
            lines.append(line)
    return lines


def seed_demo_articles() -> None:
    """Import the demo products and articles, English first, then each translation."""
    from core.importing import import_lines

    paths = [DEMO_CONTENT_DIR / f"{code}.jsonl" for code in DEMO_LANGUAGE_ORDER]
    for path in paths:
        if not path.exists():
            continue
        lines = _missing_lines(path)
        with tqdm(total=len(lines), unit="line", desc=f"Articles ({path.stem})") as progress:
            report = import_lines(lines, progress=progress)
        for number, message in report.errors:
            logger.error("%s line %s: %s", path.name, number, message)
        for warning in report.warnings:
            logger.warning("%s: %s", path.name, warning)


# Demo pictures drawn at seed time: title → (background, accent, lines of text).
DEMO_IMAGES = {
    "InkWell P200 Home Printer": ("#dbe7fb", "#1d5bbf", ["InkWell P200"]),
    "SkyLink AX3000 Wi-Fi Router": ("#e3f4ea", "#1f7a43", ["SkyLink AX3000"]),
    "LedgerLite Accounting": ("#fff1d6", "#8a5a00", ["LedgerLite"]),
    "InkWell P200 rear access door": (
        "#eef1f6",
        "#1d5bbf",
        ["Rear access door", "Press both tabs"],
    ),
    "SkyLink AX3000 back panel": ("#eef1f6", "#1f7a43", ["WAN LAN1 LAN2 LAN3", "USB RESET POWER"]),
}
PRODUCT_IMAGES = {
    "product-inkwell-p200": "InkWell P200 Home Printer",
    "product-skylink-ax3000": "SkyLink AX3000 Wi-Fi Router",
    "product-ledgerlite": "LedgerLite Accounting",
}


def _draw_png(background: str, accent: str, lines: list[str]) -> bytes:
    from io import BytesIO

    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    picture = PILImage.new("RGB", (640, 360), background)
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=26)
    draw.rounded_rectangle((120, 90, 520, 270), radius=24, outline=accent, width=8)
    for number, line in enumerate(lines):
        draw.text((150, 150 + 34 * number), line, fill=accent, font=font)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_demo_images() -> None:
    """Product tiles and article illustrations, drawn locally (nothing is downloaded)."""
    Image = get_image_model()
    for title, (background, accent, lines) in DEMO_IMAGES.items():
        if not Image.objects.filter(title=title).exists():
            name = slugify(title) + ".png"
            Image.objects.create(
                title=title, file=ContentFile(_draw_png(background, accent, lines), name=name)
            )
            logger.info("Created demo image %s", title)


def product_set_in_every_language(external_id: str, field: str, value) -> None:
    """Set ``field`` on a product page and all its translations, publishing what changed."""
    original = ProductPage.objects.filter(external_id=external_id).first()
    if original is None or value is None:
        return
    twins = ProductPage.objects.filter(translation_key=original.translation_key)
    for product in twins.exclude(**{field: value}):
        setattr(product, field, value)
        product.save_revision().publish()


def attach_product_images() -> None:
    Image = get_image_model()
    for external_id, title in PRODUCT_IMAGES.items():
        image = Image.objects.filter(title=title).first()
        product_set_in_every_language(external_id, "image", image)
