"""Merging kinds fairly: raw scores of long articles and short threads are not comparable.

Each kind is ranked on its own by the backend's relevance, then the lists are fused by
reciprocal rank (RRF), with small boosts for a title that contains the whole query, for
knowledge-base articles and solved threads, and for well-rated content.
"""

import html
import unicodedata

RRF_K = 60
PHRASE_BOOST = 0.02  # the title contains the whole query: worth more than any rank step
KIND_BOOST = 0.0002
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def words(text: str) -> list[str]:
    """Words of any script, lowercased.

    Python's ``\\w`` stops at combining marks, cutting Hindi "प्रिंटर" into "प", "र", "टर";
    letters, digits and marks (Unicode categories L, N, M) all belong to a word here.
    """
    found, current = [], []
    for char in text:
        if char.isalnum() or unicodedata.category(char)[0] == "M":
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return [w.lower() for w in found]


def query_terms(text: str, limit: int = 12) -> list[str]:
    """Distinct words only: user text never reaches a query parser as syntax."""
    return list(dict.fromkeys(words(text)))[:limit]


# Words too common to say anything about relevance; matching them makes every row a candidate.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    }
)


def match_terms(terms: list[str]) -> list[str]:
    """The words worth matching: stopwords dropped, unless the query is nothing else."""
    kept = [term for term in terms if term not in STOPWORDS]
    return kept or terms


def fuse(candidates: list[dict], query_text: str) -> list[dict]:
    """``candidates``: dicts with kind, relevance (higher is better), title, solved, helpful."""
    phrase = " ".join(query_terms(query_text))
    by_kind: dict[str, list[dict]] = {}
    for candidate in candidates:
        by_kind.setdefault(candidate["kind"], []).append(candidate)
    for items in by_kind.values():
        items.sort(key=lambda c: -c["relevance"])
        for rank, item in enumerate(items, start=1):
            score = 1.0 / (RRF_K + rank)
            title = " ".join(query_terms(item["title"], limit=100))
            if phrase and phrase in title:
                score += PHRASE_BOOST
            # Tie-breakers smaller than one rank step, so kinds still interleave.
            if item["kind"] == "article" or item["solved"]:
                score += KIND_BOOST
            score += min(item.get("helpful", 0.0), 10.0) * KIND_BOOST / 10
            item["score"] = round(score, 6)
    return sorted(candidates, key=lambda c: -c["score"])


def snippet_html(raw: str) -> str:
    """Escape everything, then turn the backend's private markers into <mark>."""
    return html.escape(raw).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
