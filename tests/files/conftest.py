"""Files tests: the app on local disk by default, or on S3 (a local moto server) for tests
parametrised with `@on_both_backends`."""

from __future__ import annotations

import uuid

import pytest

from tests.s3 import BUCKET, REGION


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "local")


@pytest.fixture
def app_config(app_config: dict[str, object], backend: str, request: pytest.FixtureRequest):
    if backend == "s3":
        app_config.update(
            STORAGE_BACKEND="s3",
            S3_BUCKET=BUCKET,
            # A prefix of its own keeps each test's objects apart in the shared bucket.
            S3_PREFIX=f"t-{uuid.uuid4().hex[:10]}",
            S3_ENDPOINT_URL=request.getfixturevalue("s3_endpoint"),
            S3_REGION=REGION,
        )
    return app_config
