"""What an uploaded file really is (from its bytes), and safe names for storing and downloading.

The allowlist is decided from content, never from the name or the browser's claim. HTML,
SVG, XML, scripts, executables, archives and anything unrecognised are refused (None).
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from typing import BinaryIO
from urllib.parse import quote

#: How many leading bytes `sniff_type` wants to see (it copes with fewer).
HEAD_SIZE = 8192

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
TEXT = "text/plain"
CSV = "text/csv"
HTML = "text/html"  # only documents the portal makes itself; never accepted as upload

#: The one extension a download of each type gets, whatever the member called the file.
EXTENSIONS = {
    PDF: ".pdf", PNG: ".png", JPEG: ".jpg", GIF: ".gif", WEBP: ".webp",
    DOCX: ".docx", XLSX: ".xlsx", PPTX: ".pptx", ODT: ".odt", ODS: ".ods", ODP: ".odp",
    DOC: ".doc", XLS: ".xls", PPT: ".ppt", TEXT: ".txt", CSV: ".csv", HTML: ".html",
}  # fmt: skip
IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_TYPES = frozenset({ODT, ODS, ODP})
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_OLE_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
# Text that a browser or an OS would treat as markup or a program.
_ACTIVE_TEXT_RE = re.compile(
    rb"^\s*(?:<\?xml|<!doctype|<html|<svg|<script|#!)|<(?:script|html|svg|iframe|body|object)\b",
    re.IGNORECASE,
)


def sniff_type(head: bytes) -> str | None:
    """The allowed MIME type of a file from its first bytes (`HEAD_SIZE`), or None.

    Office files in zip form (docx/xlsx/pptx) are recognised from the entry names found in
    the head; `sniff_stream` reads the zip's directory and is the reliable choice when the
    whole file is at hand.
    """
    simple = _sniff_magic(head)
    if simple is not None:
        return simple
    if head.startswith(b"PK\x03\x04"):
        return _sniff_odf_head(head) or _sniff_ooxml_names(_zip_local_names(head))
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole_names(head)
    return _sniff_text(head)


def sniff_stream(stream: BinaryIO) -> str | None:
    """Like `sniff_type`, but reads what it needs from a seekable stream; rewinds it."""
    start = stream.tell()
    try:
        head = stream.read(HEAD_SIZE)
        if head.startswith(b"PK\x03\x04"):
            stream.seek(start)
            return _sniff_zip(stream)
        if head.startswith(_OLE_MAGIC):
            return _sniff_ole(stream, start, head)
        return sniff_type(head)
    finally:
        stream.seek(start)


def _sniff_magic(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in {b"GIF87a", b"GIF89a"}:
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _sniff_odf_head(head: bytes) -> str | None:
    # ODF puts an uncompressed "mimetype" entry first, so its content is right in the head.
    if head[30:38] != b"mimetype":
        return None
    name_length, extra_length = struct.unpack("<HH", head[26:30])
    size = struct.unpack("<I", head[18:22])[0]
    start = 30 + name_length + extra_length
    mimetype = head[start : start + size].decode("ascii", "replace")
    return mimetype if mimetype in _ODF_TYPES else None


def _zip_local_names(head: bytes) -> list[str]:
    names = []
    for match in re.finditer(rb"PK\x03\x04", head):
        offset = match.start()
        if offset + 30 > len(head):
            break
        name_length = struct.unpack("<H", head[offset + 26 : offset + 28])[0]
        names.append(head[offset + 30 : offset + 30 + name_length].decode("utf-8", "replace"))
    return names


def _sniff_ooxml_names(names: list[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    for prefix, mime in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return mime
    return None


def _sniff_zip(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return mimetype if mimetype in _ODF_TYPES else None
            return _sniff_ooxml_names(names)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _sniff_ole_names(data: bytes) -> str | None:
    # Directory entries hold stream names in UTF-16LE; the streams tell Word from Excel.
    for name, mime in _OLE_STREAMS:
        if name.encode("utf-16-le") + b"\x00\x00" in data:
            return mime
    return None


def _sniff_ole(stream: BinaryIO, start: int, head: bytes) -> str | None:
    if len(head) < 0x34:
        return None
    sector_shift = struct.unpack("<H", head[0x1E:0x20])[0]
    first_directory_sector = struct.unpack("<I", head[0x30:0x34])[0]
    if not 9 <= sector_shift <= 12:
        return None
    stream.seek(start + ((first_directory_sector + 1) << sector_shift))
    return _sniff_ole_names(stream.read(64 * 128))  # up to 64 directory entries


def _sniff_text(head: bytes) -> str | None:
    if not head or b"\x00" in head:
        return None
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the head is fine; anything else is not.
        if error.reason != "unexpected end of data":
            return None
        text = body[: error.start].decode("utf-8")
    if _ACTIVE_TEXT_RE.search(body) or any(_is_control(ch) for ch in text):
        return None
    return CSV if _looks_like_csv(text) else TEXT


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:6] if line.strip()]
    if len(lines) > 1 and len(text) >= HEAD_SIZE - 4:
        lines = lines[:-1]  # the last line may be cut off by the head
    if len(lines) < 2:
        return False
    for delimiter in (";", ",", "\t"):
        counts = {line.count(delimiter) for line in lines}
        if len(counts) == 1 and counts != {0}:
            return True
    return False


def extension_for(mime_type: str) -> str:
    """The extension a file of this (sniffed) type gets on download, e.g. ".pdf"."""
    return EXTENSIONS.get(mime_type, ".bin")


_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)", re.IGNORECASE)


def clean_filename(name: str, *, max_length: int = 150) -> str:
    """A display name safe on every OS: no path, no control or bidi characters; "fil" if empty.

    `../../etc/passwd` gives `passwd`, `..\\..\\boot.ini` gives `boot.ini`; æøå are kept.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    # Cc are control characters, Cf format ones such as the right-to-left override that
    # makes "gpj.exe" look like "exe.jpg".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"})
    name = _WINDOWS_FORBIDDEN.sub("_", " ".join(name.split()))
    name = name.strip(" .")
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    if len(name) > max_length:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 16 and stem:
            name = f"{stem[: max_length - len(suffix) - 1].rstrip(' .')}.{suffix}"
        else:
            name = name[:max_length].rstrip(" .")
    return name or "fil"


def with_extension(filename: str, mime_type: str) -> str:
    """`filename` cleaned and ending in its sniffed type's extension (run.bat → run.bat.txt)."""
    name = clean_filename(filename)
    extension = extension_for(mime_type)
    if name.lower().endswith(extension) or (extension == ".jpg" and name.lower().endswith(".jpeg")):
        return name
    return clean_filename(name + extension)


_ASCII_FOLD = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss"})


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` for `filename`."""
    name = clean_filename(filename)
    folded = unicodedata.normalize("NFKD", name.translate(_ASCII_FOLD))
    ascii_name = "".join(ch for ch in folded if 32 <= ord(ch) < 127 and ch not in '"\\')
    ascii_name = ascii_name.strip() or "fil"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_headers(filename: str, mime_type: str, *, inline: bool = False) -> dict[str, str]:
    """Headers for sending a stored file: its type, disposition and no content sniffing."""
    return {
        "Content-Type": mime_type,
        "Content-Disposition": content_disposition(filename, inline=inline),
        "X-Content-Type-Options": "nosniff",
    }
