"""Local disk and S3 storage pass the same behaviour suite."""

import hashlib
import io
import socket
import urllib.request

import pytest

from innsiden import create_app
from innsiden import storage as storage_module
from innsiden.errors import NotFound, StorageError, TooLarge
from innsiden.storage import LocalStorage, S3Storage, build_storage, get_storage
from tests.storage.conftest import BUCKET, REGION

MB = 1024 * 1024


class Unsized(io.RawIOBase):
    """A stream that only says how much it has by being read, like an HTTP upload."""

    def __init__(self, data: bytes, chunk: int = 64 * 1024) -> None:
        self.data, self.position, self.chunk, self.largest_read = data, 0, chunk, 0

    def readable(self):
        return True

    def read(self, n=-1):
        self.largest_read = max(self.largest_read, n)
        n = min(self.chunk, len(self.data) - self.position if n < 0 else n)
        piece = self.data[self.position : self.position + n]
        self.position += len(piece)
        return piece


def test_save_and_read_back(storage):
    content = "Referat fra årsmøtet\n".encode() * 1000
    stored = storage.save(io.BytesIO(content), content_type="text/plain")

    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert storage.exists(stored.key)
    with storage.open(stored.key) as stream:
        assert stream.read() == content


def test_keys_are_generated_never_the_filename(storage):
    first = storage.save(io.BytesIO(b"a"), content_type="text/plain")
    second = storage.save(io.BytesIO(b"a"), content_type="text/plain")
    assert first.key != second.key
    for key in (first.key, second.key):
        two, four, name = key.split("/")
        assert (len(two), len(four), len(name)) == (2, 2, 32) and name.startswith(two + four)


def test_large_uploads_stream_in_chunks(storage):
    content = bytes(range(256)) * (10 * MB // 256)  # past one S3 part: a multipart upload
    source = Unsized(content)
    stored = storage.save(source, content_type="application/pdf")

    assert source.largest_read <= storage_module.CHUNK_SIZE
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    with storage.open(stored.key) as stream:
        assert stream.read(100) == content[:100]
        assert stream.read() == content[100:]


def test_empty_file(storage):
    stored = storage.save(io.BytesIO(b""), content_type="text/plain")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    with storage.open(stored.key) as stream:
        assert stream.read() == b""


def test_delete(storage):
    stored = storage.save(io.BytesIO(b"slett meg"), content_type="text/plain")
    storage.delete(stored.key)
    assert not storage.exists(stored.key)
    with pytest.raises(NotFound):
        storage.open(stored.key)
    storage.delete(stored.key)  # deleting again is fine


@pytest.mark.parametrize("size", [3 * MB + 1, 10 * MB])
def test_too_large_upload_is_abandoned_leaving_nothing(storage, leftovers, size):
    # 3 MB + 1 stops within the first part; 10 MB after one S3 part was already sent.
    limit = 3 * MB if size < 4 * MB else 9 * MB
    with pytest.raises(TooLarge) as refused:
        storage.save(Unsized(b"x" * size), content_type="application/pdf", max_size=limit)
    assert refused.value.status == 413
    assert "Filen er for stor" in refused.value.message
    assert leftovers() == []


def test_exactly_the_limit_is_accepted(storage):
    assert (
        storage.save(io.BytesIO(b"x" * 1000), content_type="text/plain", max_size=1000).size == 1000
    )


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "ab/cd/../../../x", "/etc/passwd", "", "AB/CD/x"]
)
def test_keys_we_did_not_make_name_nothing(storage, key):
    assert not storage.exists(key)
    with pytest.raises(NotFound):
        storage.open(key)
    with pytest.raises(NotFound):
        storage.delete(key)


def test_download_url(storage, backend):
    content = b"%PDF-1.7 sakliste"
    stored = storage.save(io.BytesIO(content), content_type="application/pdf")
    url = storage.url_for_download(
        stored.key, filename="Sakliste årsmøte.pdf", content_type="application/pdf", expires=60
    )
    if backend == "local":
        assert url is None  # the view streams the file itself
        return
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our local server.
        assert response.read() == content
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="Sakliste arsmote.pdf"; '
            "filename*=UTF-8''Sakliste%20%C3%A5rsm%C3%B8te.pdf"
        )


def test_presigned_urls_are_short_lived_and_signed(s3_endpoint):
    storage = S3Storage(BUCKET, prefix="signed", endpoint_url=s3_endpoint, region=REGION)
    stored = storage.save(io.BytesIO(b"x"), content_type="text/plain")
    url = storage.url_for_download(stored.key, filename="x.txt", content_type="text/plain")
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    # Another key of the same shape: the last character always changes.
    other_last = "1" if stored.key[-1] == "0" else "0"
    tampered = url.replace(stored.key, stored.key[:-1] + other_last)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(tampered, timeout=10)  # noqa: S310 - our local server.


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_s3_outage_is_a_storage_error():
    down = S3Storage(BUCKET, endpoint_url=f"http://127.0.0.1:{closed_port()}", region=REGION,
                     access_key_id="testing", secret_access_key="testing")  # fmt: skip
    with pytest.raises(StorageError) as failed:
        down.save(io.BytesIO(b"x"), content_type="text/plain")
    assert failed.value.status == 503
    assert "Ingenting ble lagret" in failed.value.message
    key = "ab/cd/" + "ab" * 16
    for action in (down.open, down.exists, down.delete):
        with pytest.raises(StorageError):
            action(key)


def test_missing_bucket_is_a_storage_error(s3_endpoint):
    wrong = S3Storage("no-such-bucket", endpoint_url=s3_endpoint, region=REGION)
    with pytest.raises(StorageError):
        wrong.save(io.BytesIO(b"x"), content_type="text/plain")


def test_disk_failure_is_a_storage_error(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    with pytest.raises(StorageError):
        LocalStorage(blocked).save(io.BytesIO(b"x"), content_type="text/plain")


def test_local_writes_are_atomic_and_leave_no_temporary_files(tmp_path):
    storage = LocalStorage(tmp_path)

    class Failing(io.RawIOBase):
        def readable(self):
            return True

        def read(self, n=-1):
            raise OSError("connection reset by peer")

    with pytest.raises(StorageError):
        storage.save(Failing(), content_type="text/plain")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_settings_choose_the_backend(tmp_path, s3_endpoint):
    local = build_storage({"STORAGE_BACKEND": "local", "UPLOADS_DIR": str(tmp_path)})
    assert isinstance(local, LocalStorage) and local.root == tmp_path
    s3 = build_storage({
        "STORAGE_BACKEND": "s3", "S3_BUCKET": BUCKET, "S3_PREFIX": "/innsiden/",
        "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": REGION,
    })  # fmt: skip
    assert isinstance(s3, S3Storage) and s3.prefix == "innsiden/"
    stored = s3.save(io.BytesIO(b"x"), content_type="text/plain")
    assert s3.exists(stored.key)
    with pytest.raises(RuntimeError):
        build_storage({"STORAGE_BACKEND": "s3", "S3_BUCKET": ""})
    with pytest.raises(RuntimeError):
        build_storage({"STORAGE_BACKEND": "ftp"})


def test_the_app_uses_the_configured_storage(tmp_path, monkeypatch):
    # No database needed: the storage is chosen when the app is made.
    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "instance"))
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x"}
    app = create_app({**settings, "UPLOADS_DIR": str(tmp_path / "uploads")})
    with app.app_context():
        storage = get_storage()
        assert isinstance(storage, LocalStorage)
        assert storage.root == tmp_path / "uploads"
    app.extensions["innsiden.engine"].dispose()
