"""Articles made through the real import path, so tests exercise what editors and imports do."""

import itertools

from kb.importing import ImportContext, import_article, import_product

_ids = itertools.count(1)

DEFAULT_BODY = """## Before you start

Have the **power cable** ready.

1. Unplug the printer.
   Warning: Wait 30 seconds before opening the cover.
2. Open the front cover.

> Tip: Use plain A4 paper.
"""


def make_product(name="InkWell P200 Home Printer", locale="en", **extra):
    data = {"type": "product", "name": name, "locale": locale, **extra}
    return import_product(data, ImportContext())


def make_article(
    title=None,
    *,
    locale="en",
    article_type="guide",
    body=DEFAULT_BODY,
    product="InkWell P200 Home Printer",
    publish=True,
    **extra,
):
    number = next(_ids)
    data = {
        "type": "article",
        "locale": locale,
        "article_type": article_type,
        "title": title or f"Article {number}",
        "summary": f"Summary of article {number}.",
        "body_markdown": body,
        "external_id": extra.pop("external_id", f"test-{number}"),
        **({"product": product} if product else {}),
        **extra,
    }
    return import_article(data, ImportContext(publish=publish))
