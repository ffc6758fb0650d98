""" "Did you mean" for the database backend: the closest words the indexed titles contain.

The vocabulary (words of titles and tags, per language, with document counts) is read once
and cached for a few minutes; it is only consulted when a search found nothing, so its cost
stays off the common path.
"""

import difflib
from collections import Counter

from django.core.cache import cache

from search.models import IndexedDocument
from search.ranking import words

MIN_LENGTH = 3
CACHE_SECONDS = 600


def vocabulary(locale: str | None) -> dict[str, int]:
    """Word → number of documents whose title or tags contain it."""

    def load() -> dict[str, int]:
        rows = IndexedDocument.objects.all()
        if locale:
            rows = rows.filter(locale=locale)
        counts: Counter[str] = Counter()
        for title, tags in rows.values_list("title", "tags").iterator(chunk_size=2000):
            counts.update(set(words(f"{title} {tags}")))
        return dict(counts)

    return cache.get_or_set(f"search:vocabulary:{locale or 'all'}", load, CACHE_SECONDS)


def forget_vocabulary() -> None:
    """Drop every language's cached vocabulary after a rebuild or reset of the index.

    Single writes leave it alone: a word indexed now is suggested once the cache expires.
    """
    from django.conf import settings

    codes = [code for code, _ in settings.LANGUAGES]
    cache.delete_many([f"search:vocabulary:{code}" for code in codes] + ["search:vocabulary:all"])


def spelling_correction(terms: list[str], locale: str | None) -> str:
    """The query with each unknown word replaced by its closest known word, or ""."""
    known = vocabulary(locale)
    corrected, changed = [], False
    for term in terms:
        if len(term) < MIN_LENGTH or term.isdigit() or term in known:
            corrected.append(term)
            continue
        near = [w for w in known if w[0] == term[0] and abs(len(w) - len(term)) <= 2]
        match = difflib.get_close_matches(term, near, n=3, cutoff=0.75)
        best = max(
            match,
            key=lambda w: (difflib.SequenceMatcher(None, term, w).ratio(), known[w]),
            default="",
        )
        corrected.append(best or term)
        changed = changed or bool(best)
    return " ".join(corrected) if changed else ""
