"""SQL queries per page, anonymous and signed in, for a small and a large case of each page.

Each page is requested once to warm caches (Wagtail's site root paths, machina's permission
cache…), then once more inside ``CaptureQueriesContext``: the figure is the steady-state count.
A page whose count is higher for the large case than for the small one has a query per item
(N+1) somewhere; the run reports it.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench.corpus import FIXTURE_IDS, log


def page_cases() -> list[tuple[str, str, str, str]]:
    """(page, case, size, URL): each page type at a small and a large size."""
    from django.urls import reverse
    from django.utils.translation import override
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Topic

    from forum.models import ImportedThread
    from kb.models import ArticlePage, ProductPage

    def article(external_id: str) -> str:
        return ArticlePage.objects.get(external_id=external_id).url

    def product(external_id: str) -> str:
        return ProductPage.objects.get(external_id=external_id).url

    def topic(external_id: str) -> str:
        found = ImportedThread.objects.select_related("topic__forum").get(external_id=external_id)
        t = found.topic
        with override("en"):
            return reverse(
                "forum_conversation:topic", args=[t.forum.slug, t.forum_id, t.slug, t.pk]
            )

    forums = Counter(Topic.objects.values_list("forum_id", flat=True))
    big_forum = Forum.objects.get(pk=max(forums, key=forums.get))
    small_forum = Forum.objects.get(pk=min(forums, key=forums.get))

    def forum(f: Forum) -> str:
        with override("en"):
            return reverse("forum:forum", args=[f.slug, f.pk])

    def search(q: str) -> str:
        return "/en/search/?" + urlencode({"q": q})

    def found(q: str) -> int:
        from django.test import Client

        return Client().get("/api/search/", {"q": q, "locale": "en"}).json()["total"]

    per_product = {
        product.external_id: ArticlePage.objects.live().filter(products=product).count()
        for product in ProductPage.objects.filter(locale__language_code="en")
    }
    fewest = min(per_product, key=per_product.get)
    most = max(per_product, key=per_product.get)
    return [
        ("home /en/", "-", "-", "/en/"),
        ("article", "small", "short (2 steps)", article(FIXTURE_IDS["article_short"])),
        ("article", "large", "long (24 steps, Q&A, table)", article(FIXTURE_IDS["article_long"])),
        ("product", "small", f"{per_product[fewest]} articles", product(fewest)),
        ("product", "large", f"{per_product[most]} articles", product(most)),
        ("forum topic", "small", "5 replies", topic(FIXTURE_IDS["topic_small"])),
        ("forum topic", "large", "50 replies", topic(FIXTURE_IDS["topic_large"])),
        ("forum", "small", f"{forums[small_forum.pk]} topics", forum(small_forum)),
        ("forum", "large", f"{forums[big_forum.pk]} topics", forum(big_forum)),
        ("search page", "small", f"{found('Lumen X2')} results", search("Lumen X2")),
        ("search page", "large", f"{found('printer')} results", search("printer")),
    ]


def count_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries)


def measure() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    anonymous, member = Client(), Client()
    member.force_login(get_user_model().objects.get(username="bench-member"))
    rows = []
    for page, case, size, url in page_cases():
        anon_status, anon = count_queries(anonymous, url)
        member_status, signed_in = count_queries(member, url)
        rows.append(
            {
                "page": page,
                "case": case,
                "size": size,
                "url": url,
                "anonymous": anon,
                "signed_in": signed_in,
                "status": [anon_status, member_status],
            }
        )
        log(f"queries: {page} [{size}] anonymous {anon}, signed in {signed_in}")
    growth = []
    for small, large in zip(rows, rows[1:], strict=False):
        if small["page"] == large["page"] and (small["case"], large["case"]) == (
            "small",
            "large",
        ):
            for who in ("anonymous", "signed_in"):
                if large[who] > small[who]:
                    growth.append(
                        f"{small['page']} ({who}): {small[who]} → {large[who]} "
                        f"from {small['size']} to {large['size']}"
                    )
    return {"pages": rows, "grows_with_size": growth}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.query_counts", description=__doc__)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    result = measure()
    args.result.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
