"""The contract every search backend keeps, and the one result shape they all return."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from search.documents import SearchDocument


@dataclass(frozen=True)
class Health:
    """Whether the backend can answer queries now, and why not if it cannot."""

    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class SearchQuery:
    """What the reader asked for; every field already validated by the caller."""

    text: str
    locale: str | None = None
    kind: str | None = None
    product: str | None = None
    solved: bool | None = None
    page: int = 1
    page_size: int = 20
    synonyms: tuple[str, ...] = ()  # phrases editors declared equivalent, added by the service


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matches
    score: float
    locale: str
    product: str
    solved: bool
    updated: datetime | None
    promoted: bool = False  # an editor's pick for this query


@dataclass
class SearchResults:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    backend: str = ""
    did_you_mean: str = ""  # a spelling correction, when some words look mistyped
    corrected_from: str = ""  # set when these results answer ``did_you_mean`` instead
    degraded: bool = False  # answered by the fallback because the configured backend failed


class BaseSearchBackend:
    """One search backend. Subclasses set ``name`` and implement the methods below."""

    name = "base"

    def __init__(self, *, alias: str = "default", **options):
        self.alias = alias
        self.options = options

    def health(self) -> Health:
        """Answer quickly whether queries can be served now."""
        return Health(ok=True)

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents; returns how many were written."""
        raise NotImplementedError

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace the whole index with ``documents``; readers never see a partial index."""
        written = 0
        self.reset()
        iterator = iter(documents)
        while batch := list(islice(iterator, 200)):
            written += self.index(batch)
            if on_progress:
                on_progress(len(batch))
        return written

    def delete(self, keys: Iterable[str]) -> None:
        """Remove documents by key ("article:12"); unknown keys are ignored."""
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        """One ranked list over every kind, with facet counts."""
        raise NotImplementedError

    def suggest(self, text: str, *, locale: str | None = None, limit: int = 10) -> list[str]:
        """Titles completing what is being typed."""
        raise NotImplementedError

    def indexed_keys(self) -> dict[str, datetime | None]:
        """Key → updated date of everything in the index, for consistency checks."""
        raise NotImplementedError

    def reset(self) -> None:
        """Empty the index."""
        raise NotImplementedError
