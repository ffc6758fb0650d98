"""The contract every backend keeps, run against each (see ``search_backend`` in conftest)."""

import pytest
from django.core.management import call_command
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.backends.base import SearchQuery
from search.models import SynonymGroup
from search.services import run_search, suggest_titles
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(help_center, search_backend, django_capture_on_commit_callbacks):
    """A few English articles, indexed through the real content events."""
    with django_capture_on_commit_callbacks(execute=True):
        articles = {
            "jam": make_article(
                "Printer jams when printing envelopes",
                product="InkWell 200",
                body="## Fix\n\nOpen the door when 5 < 10 & pull the paper out slowly.\n",
            ),
            "wireless": make_article(
                "Connect to a wireless network",
                product="SkyLink AX3000",
                body="## Steps\n\n1. Choose the network name.\n",
            ),
            "invoice": make_article(
                "Send an invoice by email",
                product="LedgerLite",
                body="## Send\n\nPress send.\n",
            ),
        }
    return articles


def en(text: str, **filters) -> SearchQuery:
    return SearchQuery(text=text, locale="en", **filters)


def test_deleting_by_key_and_ignoring_unknown_keys(library, search_backend):
    key = f"article:{library['invoice'].pk}"
    search_backend.delete([key, "article:999999", "thread:424242"])
    assert [h.title for h in search_backend.search(en("invoice")).hits] == []
    assert key not in search_backend.indexed_keys()
    assert f"article:{library['jam'].pk}" in search_backend.indexed_keys()


def test_snippets_highlight_matches_and_escape_content(library, search_backend):
    hit = search_backend.search(en("door")).hits[0]
    assert "<mark>door</mark>" in hit.snippet.lower()
    assert "5 &lt; 10 &amp; pull" in hit.snippet  # escaped once: not "&amp;lt;"


def test_english_words_match_their_other_forms(library, search_backend):
    titles = [h.title for h in search_backend.search(en("printers jammed")).hits]
    assert titles[:1] == ["Printer jams when printing envelopes"]


def test_pages_past_the_end_are_empty_with_the_true_total(library, search_backend):
    deep = search_backend.search(en("printer network invoice", page=50, page_size=2))
    assert deep.hits == [] and deep.total == 3


def test_exact_title_phrase_ranks_first(library, search_backend):
    hits = search_backend.search(en("wireless network")).hits
    assert hits[0].title == "Connect to a wireless network"


def test_suggestions_complete_the_words_being_typed(library, search_backend):
    assert suggest_titles("wirel", "en") == ["Connect to a wireless network"]
    assert suggest_titles("send inv", "en") == ["Send an invoice by email"]
    assert suggest_titles("wirel", "fa") == []


def test_synonyms_from_the_admin_apply(library, search_backend):
    assert run_search(en("wifi")).hits == []
    SynonymGroup.objects.create(terms="wifi, wi-fi, wireless")
    assert [h.title for h in run_search(en("wifi")).hits] == ["Connect to a wireless network"]
    SynonymGroup.objects.create(terms="bill, invoice", locale="fa")
    assert run_search(en("bill")).hits == []  # a Persian-only group does not apply in English


def test_misspellings_are_found_and_corrected(library, search_backend):
    results = run_search(en("invoise"))
    assert [h.title for h in results.hits] == ["Send an invoice by email"]
    assert results.did_you_mean == "invoice"


def test_promoted_results_come_first(library, search_backend):
    query = Query.get("envelopes")
    SearchPromotion.objects.create(
        query=query, page=library["invoice"], description="Billing help", sort_order=0
    )
    hits = run_search(en("Envelopes")).hits
    assert [(h.title, h.promoted) for h in hits] == [
        ("Send an invoice by email", True),
        ("Printer jams when printing envelopes", False),
    ]
    assert run_search(en("envelopes", page=2)).hits == []


def test_reindex_replaces_everything_and_status_shows_no_drift(library, search_backend):
    search_backend.delete([f"article:{library['jam'].pk}"])
    call_command("search_reindex", "--no-progress")
    assert len(search_backend.indexed_keys()) == 3
    assert search_backend.search(en("printer")).total == 1


def test_status_finds_drift_and_sync_repairs_it(library, search_backend):
    from io import StringIO

    from django.core.management.base import CommandError

    from search.documents import SearchDocument

    jam = f"article:{library['jam'].pk}"
    search_backend.delete([jam])
    search_backend.index([SearchDocument("thread", 999999, "en", "Gone thread", "/gone/")])
    out = StringIO()
    call_command("search_status", stdout=out)
    first_line = out.getvalue().splitlines()[0]
    assert "3 in the database, 3 indexed, 1 missing, 0 stale, 1 extra" in first_line
    assert f"missing: {jam}" in out.getvalue() and "extra: thread:999999" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("search_status", "--fail", stdout=StringIO())
    call_command("search_sync", "--repair", stdout=StringIO())
    out = StringIO()
    call_command("search_status", "--fail", stdout=out)
    assert (
        "1 missing" not in out.getvalue()
        and "0 missing, 0 stale, 0 extra, 0 pending" in out.getvalue()
    )


def test_common_words_do_not_make_everything_match(library, search_backend):
    hits = search_backend.search(en("the door of the printer")).hits
    assert [h.title for h in hits] == ["Printer jams when printing envelopes"]


def test_snippets_are_built_for_hits_on_every_page(library, search_backend):
    query = "printer network invoice"
    seen = [search_backend.search(en(query, page=page, page_size=1)).hits for page in (1, 2, 3)]
    assert len({hits[0].title for hits in seen}) == 3
    for (hit,) in seen:
        assert "<mark>" in hit.snippet, hit


def test_language_facet_counts_every_language_under_the_other_filters(
    library, search_backend, help_center
):
    from search.documents import SearchDocument

    search_backend.index(
        [
            SearchDocument("thread", 900001, "fa", "Printer door stuck", "/fa/t/1/"),
            SearchDocument("thread", 900002, "hi", "Printer beeps", "/hi/t/2/"),
        ]
    )
    everything = search_backend.search(en("printer"))
    assert everything.facets["locale"] == {"en": 1, "fa": 1, "hi": 1}
    assert [h.title for h in everything.hits] == ["Printer jams when printing envelopes"]
    threads = search_backend.search(en("printer", kind="thread"))
    assert threads.facets["locale"] == {"fa": 1, "hi": 1}
