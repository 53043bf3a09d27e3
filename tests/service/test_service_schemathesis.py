"""schemathesis against the app's own OpenAPI document: no server error, every answer documented.

Skipped when schemathesis is not installed (it is in the project's ``test``
extra).  Each operation gets positive and negative (schema-violating) cases;
``call_and_validate`` runs every check: no 5xx, status codes and content types
documented, answers conforming to their schemas.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402 - after importorskip: the module skips without schemathesis

from costsheet.service import ServiceSettings, create_app  # noqa: E402 - after importorskip: the module skips without schemathesis

APP = create_app(ServiceSettings(request_timeout=30.0, max_concurrent_jobs=1))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.mark.thorough
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_own_openapi(case):
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
