"""Both storage backends for one behaviour suite: local disk, and S3 on a local moto server."""

from __future__ import annotations

import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

from innsiden.storage import LocalStorage, S3Storage

BUCKET = "innsiden-test"
REGION = "eu-north-1"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A local S3-compatible server with one bucket, reached with dummy AWS credentials."""
    with pytest.MonkeyPatch.context() as env:
        # boto3 finds these exactly as it would find real ones in production.
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.delenv("AWS_PROFILE", raising=False)
        empty = tmp_path_factory.mktemp("aws") / "none"
        env.setenv("AWS_CONFIG_FILE", str(empty))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint
        server.stop()


def client(endpoint):
    return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=REGION)


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
