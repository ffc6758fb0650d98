"""Talk to ``osmem-server`` (in-memory OpenSearch) with the Elasticsearch 8 client.

The 8.x client sends ``application/vnd.elasticsearch+json; compatible-with=8`` media types, which
only Elasticsearch understands; this node class rewrites them to the plain JSON types OpenSearch
accepts. Nothing else about the requests changes.

What osmem cannot cover: it is OpenSearch, not Elasticsearch, and lacks some language analyzers
(``persian`` among them), so tests of per-language analysis that need those run only against a
real cluster (``ELASTICSEARCH_URL``).
"""

from elastic_transport import Urllib3HttpNode

_VENDOR_TYPES = {
    "application/vnd.elasticsearch+json; compatible-with=8": "application/json",
    "application/vnd.elasticsearch+x-ndjson; compatible-with=8": "application/x-ndjson",
}


class PlainJsonNode(Urllib3HttpNode):
    """An HTTP node that speaks plain JSON media types."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value in _VENDOR_TYPES:
                    headers[name] = _VENDOR_TYPES[value]
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)
