"""A local S3-compatible server (moto) for every test that needs S3: storage and files."""

from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer

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
