"""The register's HTTP API: `/org-units`, and `/members` paged by cursor, with a bearer token.

Every page is read before anything is applied, so a page that fails (after the retries)
aborts the run with nothing changed.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from membersync.readers.errors import SourceError
from membersync.readers.jsonl import object_row
from membersync.records import (
    MEMBER_COLUMNS,
    UNIT_COLUMNS,
    UNIT_RESHAPE_COLUMNS,
    RawRegister,
    RawRow,
)

if TYPE_CHECKING:
    from membersync.readers import ApiSettings

log = logging.getLogger(__name__)

TOKEN_ENV = "MEMBERSYNC_API_TOKEN"  # noqa: S105 - the name of a variable, not a secret
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_PAGES = 100_000


def read_api(base: str, settings: ApiSettings) -> RawRegister:
    client = ApiClient(base, settings)
    units = client.units()
    incremental = bool(settings.updated_since)
    return RawRegister(
        source=base,
        mode="incremental" if incremental else "full",
        units=units,
        members=client.members(),
    )


class ApiClient:
    """GETs JSON from the register with timeouts, retries and back-off."""

    def __init__(self, base: str, settings: ApiSettings) -> None:
        self.base = base.rstrip("/")
        self.settings = settings
        self.token = settings.token or os.environ.get(TOKEN_ENV) or None

    def units(self) -> list[RawRow]:
        body = self.get("/org-units", {})
        if not isinstance(body, list):
            raise SourceError("/org-units svarte ikke med en liste", bad_input=False)
        columns = UNIT_COLUMNS + UNIT_RESHAPE_COLUMNS  # the reshape keys are optional
        return [object_row("org-units", i, item, columns) for i, item in enumerate(body, 1)]

    def members(self) -> Iterator[RawRow]:
        cursor: str | None = None
        seen: set[str] = set()
        for page in range(1, MAX_PAGES):
            query = {"updated_since": self.settings.updated_since, "cursor": cursor}
            body = self.get("/members", query)
            if not isinstance(body, dict) or not isinstance(body.get("members"), list):
                raise SourceError(f"side {page} av /members mangler «members»", bad_input=False)
            file = f"members side {page}"
            for index, item in enumerate(body["members"], 1):
                yield object_row(file, index, item, MEMBER_COLUMNS)
            cursor = body.get("next_cursor")
            if not cursor:
                return
            if cursor in seen:
                raise SourceError(f"side {page} av /members gjentar en markør", bad_input=False)
            seen.add(str(cursor))
        raise SourceError("for mange sider fra /members", bad_input=False)

    def get(self, path: str, query: dict[str, str | None]) -> Any:
        params = urllib.parse.urlencode({k: v for k, v in query.items() if v})
        url = f"{self.base}{path}" + (f"?{params}" if params else "")
        attempts = max(1, self.settings.retries + 1)
        for attempt in range(attempts):
            body, failure = self._try(url)
            if failure is None:
                return body
            if not failure.retry or attempt == attempts - 1:
                raise SourceError(f"{path}: {failure.message}", bad_input=False)
            delay = self.settings.backoff * 2**attempt
            log.warning(
                "register API %s failed (%s); retry in %.1f s", path, failure.message, delay
            )
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _try(self, url: str) -> tuple[Any, _Failure | None]:
        request = urllib.request.Request(url, headers=self._headers())  # noqa: S310 - http(s) only
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as error:
            return None, _Failure(f"HTTP {error.code}", error.code in RETRY_STATUSES)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            return None, _Failure(f"ingen forbindelse ({getattr(error, 'reason', error)})", True)
        try:
            return json.loads(raw), None
        except ValueError:
            return None, _Failure("svaret er ikke gyldig JSON", True)

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "membersync"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


@dataclass(frozen=True)
class _Failure:
    message: str
    retry: bool
