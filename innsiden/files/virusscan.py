"""An optional virus scan of uploads through clamd's INSTREAM command (off unless configured).

`INNSIDEN_CLAMD_SOCKET` names clamd's Unix socket (e.g. `/run/clamav/clamd.ctl`) or
`host:port` for its TCP socket. When set, the scan fails closed: an infected file is
refused, and so is every upload while clamd cannot be reached or gives an unclear answer.
"""

from __future__ import annotations

import logging
import socket
import struct
from typing import BinaryIO

from flask_babel import gettext as _

from innsiden.errors import StorageError, ValidationFailed

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
TIMEOUT_SECONDS = 60.0


class ScanUnavailable(StorageError):
    """clamd could not be asked: nothing is stored until it can (503)."""

    code = "virus_scan_unavailable"

    def default_message(self) -> str:
        return _(
            "Virussjekken av filer virker ikke akkurat nå, så vi kan ikke ta imot filen. "
            "Ingenting ble lagret. Prøv igjen senere."
        )


def infected() -> ValidationFailed:
    return ValidationFailed(
        _("Filen ble stoppet fordi virussjekken fant skadelig innhold i den. Ingenting ble lagret.")
    )


def _connect(address: str) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(TIMEOUT_SECONDS)
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        return sock
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=TIMEOUT_SECONDS)


def _answer(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0") and (chunk := sock.recv(4096)):
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(stream: BinaryIO, address: str) -> None:
    """Send the stream to clamd; raise unless it answers "stream: OK". Rewinds the stream."""
    start = stream.tell()
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK_SIZE):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = _answer(sock)
    except (OSError, ValueError) as error:
        log.error("Virus scan unavailable at %s: %s", address, error)
        raise ScanUnavailable() from error
    finally:
        stream.seek(start)
    if answer.endswith("FOUND"):
        log.warning("Virus scan refused an upload: %s", answer)
        raise infected()
    if answer != "stream: OK":
        # e.g. "INSTREAM size limit exceeded. ERROR": not known to be clean, so refused.
        log.error("Virus scan gave no clear answer: %s", answer)
        raise ScanUnavailable()
