"""An in-process client over a fresh service app (imported by the service tests and their conftest)."""

from __future__ import annotations

import warnings

from costsheet.service import ServiceSettings, create_app


def make_client(**limits):
    """A TestClient over an app with these settings (the history goes where ``history_path`` says).

    One worker process unless ``max_concurrent_jobs`` says otherwise: each
    app starts its own, and most tests send one request at a time.
    """
    limits.setdefault("max_concurrent_jobs", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient deprecation notice about httpx
        from fastapi.testclient import TestClient
    return TestClient(create_app(ServiceSettings(**limits)), raise_server_exceptions=False)
