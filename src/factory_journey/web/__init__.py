"""The web adapter: FastAPI JSON API (OpenAPI at /openapi.json). Routes are thin over services."""
