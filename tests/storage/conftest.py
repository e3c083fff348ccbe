"""Both storage backends for one behaviour suite: local disk, and S3 on a local moto server."""

from __future__ import annotations

import uuid

import pytest

from innsiden.storage import LocalStorage, S3Storage
from tests.s3 import BUCKET, REGION, client


@pytest.fixture(params=["local", "s3"])
def backend(request):
    return request.param


@pytest.fixture
def storage(backend, tmp_path, request):
    if backend == "local":
        return LocalStorage(tmp_path / "uploads")
    endpoint = request.getfixturevalue("s3_endpoint")
    # A prefix of its own keeps each test's objects apart in the shared bucket.
    return S3Storage(
        BUCKET, prefix=f"t-{uuid.uuid4().hex[:8]}", endpoint_url=endpoint, region=REGION
    )


@pytest.fixture
def leftovers(storage, tmp_path, request):
    """Everything the backend holds for this test: files on disk, objects and open uploads."""

    def remaining() -> list[str]:
        if isinstance(storage, LocalStorage):
            if not storage.root.exists():
                return []
            return [str(p) for p in storage.root.rglob("*") if p.is_file()]
        s3 = client(request.getfixturevalue("s3_endpoint"))
        objects = s3.list_objects_v2(Bucket=BUCKET, Prefix=storage.prefix).get("Contents", [])
        uploads = s3.list_multipart_uploads(Bucket=BUCKET, Prefix=storage.prefix)
        return [o["Key"] for o in objects] + [u["Key"] for u in uploads.get("Uploads", [])]

    return remaining
