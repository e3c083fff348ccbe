"""Where uploaded bytes live: local disk by default, S3-compatible object storage when configured.

The only module that imports boto3/botocore. Both backends store a file under a generated key
(`ab/cd/<32 hex>`), never under the member's filename; the database keeps the key, the
cleaned display name and the sniffed type. Uploads are streamed in chunks (never held whole
in memory) while their size and SHA-256 are counted, and a file over the limit is abandoned
with nothing left behind. Failures of the storage itself raise StorageError (503); a key
that is not there raises NotFound.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, current_app
from flask_babel import gettext as _

from innsiden.errors import NotFound, StorageError, TooLarge
from innsiden.filetypes import content_disposition

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
#: S3 multipart part size; also the most an S3 upload holds in memory at once.
PART_SIZE = 8 * 1024 * 1024
_KEY_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}$")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str  # hex digest


class Storage(Protocol):
    def save(
        self, stream: BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject:
        """Store the stream's bytes under a new key; TooLarge past `max_size` bytes."""
        ...

    def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the stored bytes (close it)."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; a key that is already gone is fine."""
        ...

    def exists(self, key: str) -> bool: ...

    def listing(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with when it was written (for the orphan sweep)."""
        ...

    def url_for_download(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        inline: bool = False,
        expires: int = 60,
    ) -> str | None:
        """A short-lived URL the browser can fetch directly, or None: stream it yourself."""
        ...


def new_key() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name[2:4]}/{name}"


def _checked(key: str) -> str:
    # Keys are only ever ones we generated; anything else (such as "../x") names nothing.
    if not _KEY_RE.match(key):
        raise NotFound()
    return key


def too_large(max_size: int) -> TooLarge:
    megabytes = max_size / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.2f}".replace(".", ",")
    return TooLarge(
        _("Filen er for stor. Største tillatte størrelse er %(size)s MB.", size=shown),
        max_size=max_size,
    )


class _Meter:
    """Counts size and SHA-256 of what passes through, and stops past the limit."""

    def __init__(self, max_size: int | None) -> None:
        self.size = 0
        self.hash = hashlib.sha256()
        self.max_size = max_size

    def read(self, stream: BinaryIO, n: int = CHUNK_SIZE) -> bytes:
        chunk = stream.read(n)
        self.size += len(chunk)
        if self.max_size is not None and self.size > self.max_size:
            raise too_large(self.max_size)
        self.hash.update(chunk)
        return chunk

    def stored(self, key: str) -> StoredObject:
        return StoredObject(key=key, size=self.size, sha256=self.hash.hexdigest())


def storage_failed(error: Exception) -> StorageError:
    log.error("Storage failed: %s", error, exc_info=error)
    return StorageError()


class LocalStorage:
    """Files under `root` on local disk, each written to a temporary file and renamed."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def save(
        self, stream: BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject:
        key = new_key()
        path = self._path(key)
        meter = _Meter(max_size)
        tmp_name = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=path.parent, prefix=".upload-", delete=False
            ) as tmp:
                tmp_name = tmp.name
                while chunk := meter.read(stream):
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())  # acknowledged means on disk, also after a crash
            os.replace(tmp_name, path)
            tmp_name = None
        except OSError as error:
            raise storage_failed(error) from error
        finally:
            if tmp_name is not None:
                Path(tmp_name).unlink(missing_ok=True)
        return meter.stored(key)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as error:
            raise NotFound() from error
        except OSError as error:
            raise storage_failed(error) from error

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as error:
            raise storage_failed(error) from error

    def exists(self, key: str) -> bool:
        if not _KEY_RE.match(key):
            return False
        return self._path(key).is_file()

    def listing(self) -> Iterator[tuple[str, datetime]]:
        try:
            for path in self.root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
                key = path.relative_to(self.root).as_posix()
                if _KEY_RE.match(key):
                    yield key, datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError as error:
            raise storage_failed(error) from error

    def url_for_download(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        inline: bool = False,
        expires: int = 60,
    ) -> str | None:
        return None  # the view streams the file after its permission check


class _S3Body(io.RawIOBase):
    """An S3 response body as a file object whose failures are StorageError."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._body.read(len(buffer))
        except (BotoCoreError, ClientError, OSError) as error:
            raise storage_failed(error) from error
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class S3Storage:
    """Objects in an S3-compatible bucket under `prefix`, through boto3.

    Credentials come from the arguments, else from boto3's standard chain (AWS_* environment
    variables, ~/.aws, an instance role).
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        config = Config(
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
            # Self-hosted S3 (MinIO, Ceph, …) at an endpoint of its own wants path-style URLs.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self.client = _s3_client(
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=config,
        )

    def _key(self, key: str) -> str:
        return self.prefix + _checked(key)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise NotFound() from error
            raise storage_failed(error) from error
        except BotoCoreError as error:
            raise storage_failed(error) from error

    def save(
        self, stream: BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject:
        key = new_key()
        meter = _Meter(max_size)
        first = _read_part(stream, meter)
        with self._errors():
            if len(first) < PART_SIZE:
                self.client.put_object(
                    Bucket=self.bucket, Key=self._key(key), Body=first, ContentType=content_type
                )
            else:
                self._save_multipart(key, first, stream, meter, content_type)
        return meter.stored(key)

    def _save_multipart(
        self, key: str, first: bytes, stream: BinaryIO, meter: _Meter, content_type: str
    ) -> None:
        upload = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self._key(key), ContentType=content_type
        )
        upload_id = upload["UploadId"]
        try:
            parts = []
            part = first
            while part:
                number = len(parts) + 1
                answer = self.client.upload_part(
                    Bucket=self.bucket, Key=self._key(key), UploadId=upload_id,
                    PartNumber=number, Body=part,
                )  # fmt: skip
                parts.append({"PartNumber": number, "ETag": answer["ETag"]})
                part = _read_part(stream, meter)
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=self._key(key), UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )  # fmt: skip
        except BaseException:
            # Too large, or the upload broke: an aborted upload leaves no object behind.
            self._abort(key, upload_id)
            raise

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self._key(key), UploadId=upload_id
            )
        except (BotoCoreError, ClientError) as error:
            # The bucket's lifecycle rule for incomplete uploads is the last line of defence.
            log.warning("Could not abort multipart upload %s: %s", upload_id, error)

    def open(self, key: str) -> BinaryIO:
        with self._errors():
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        return cast(BinaryIO, io.BufferedReader(_S3Body(answer["Body"]), buffer_size=CHUNK_SIZE))

    def delete(self, key: str) -> None:
        with self._errors():
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def exists(self, key: str) -> bool:
        if not _KEY_RE.match(key):
            return False
        try:
            with self._errors():
                self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except NotFound:
            return False
        return True

    def listing(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2")
        with self._errors():
            for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix) :]
                    if _KEY_RE.match(key):
                        yield key, item["LastModified"]

    def url_for_download(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        inline: bool = False,
        expires: int = 60,
    ) -> str | None:
        params = {
            "Bucket": self.bucket,
            "Key": self._key(key),
            "ResponseContentDisposition": content_disposition(filename, inline=inline),
            "ResponseContentType": content_type,
        }
        with self._errors():
            return str(
                self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires)
            )


_client_lock = threading.Lock()


@functools.cache
def _boto_session() -> Any:
    import boto3

    return boto3.session.Session()


def _s3_client(**arguments: Any) -> Any:
    # One boto3 session loads the service descriptions once; making clients from a shared
    # session is not thread-safe, hence the lock (clients themselves are).
    with _client_lock:
        return _boto_session().client("s3", **arguments)


def _read_part(stream: BinaryIO, meter: _Meter) -> bytes:
    """Up to PART_SIZE bytes, read chunk by chunk through the meter."""
    chunks = []
    size = 0
    while size < PART_SIZE and (chunk := meter.read(stream, min(CHUNK_SIZE, PART_SIZE - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def build_storage(config: Mapping[str, Any]) -> Storage:
    """The backend the settings choose: STORAGE_BACKEND "local" (UPLOADS_DIR) or "s3"."""
    backend = config.get("STORAGE_BACKEND", "local")
    if backend == "local":
        return LocalStorage(config["UPLOADS_DIR"])
    if backend == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("INNSIDEN_STORAGE=s3 needs INNSIDEN_S3_BUCKET")
        return S3Storage(
            config["S3_BUCKET"],
            prefix=config.get("S3_PREFIX", ""),
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        )
    raise RuntimeError(f"Unknown INNSIDEN_STORAGE {backend!r}: use local or s3")


def init_app(app: Flask) -> None:
    app.extensions["innsiden.storage"] = build_storage(app.config)


def get_storage() -> Storage:
    """The app's storage backend (inside an app context)."""
    storage: Storage = current_app.extensions["innsiden.storage"]
    return storage
