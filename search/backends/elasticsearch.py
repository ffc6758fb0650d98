"""Search on an Elasticsearch 8 cluster through the official client."""

import logging

from elasticsearch import Elasticsearch
from elasticsearch.exceptions import ApiError, TransportError

from .base import BaseSearchBackend, Health

logger = logging.getLogger(__name__)


class ElasticsearchSearchBackend(BaseSearchBackend):
    """The scale-out backend; user-facing calls use a short timeout so an outage degrades fast."""

    name = "elasticsearch"

    def __init__(
        self,
        *,
        alias: str = "default",
        url: str,
        index_prefix: str = "helpdesk",
        timeout: float = 0.5,
        client_options: dict | None = None,
    ):
        super().__init__(alias=alias)
        self.url = url
        self.index_prefix = index_prefix
        self.timeout = timeout
        self.client = Elasticsearch(
            url, request_timeout=timeout, max_retries=0, **(client_options or {})
        )

    def health(self) -> Health:
        try:
            self.client.options(request_timeout=self.timeout).info()
        except (TransportError, ApiError) as exc:
            logger.warning("Elasticsearch at %s is unreachable: %s", self.url, exc)
            return Health(ok=False, detail=str(exc))
        return Health(ok=True)


SearchBackend = ElasticsearchSearchBackend
