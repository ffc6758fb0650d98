"""The contract every search backend keeps."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Health:
    """Whether the backend can answer queries now, and why not if it cannot."""

    ok: bool
    detail: str = ""


class BaseSearchBackend:
    """One search backend. Subclasses set ``name`` and override what they support."""

    name = "base"

    def __init__(self, *, alias: str = "default", **options):
        self.alias = alias
        self.options = options

    def health(self) -> Health:
        """Answer quickly whether queries can be served now."""
        return Health(ok=True)
