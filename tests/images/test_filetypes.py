"""File types are decided from content; names are cleaned; downloads get safe headers."""

import io
import random
import struct
import zipfile

import pytest

from innsiden import filetypes as ft
from innsiden.filetypes import (
    clean_filename,
    content_disposition,
    download_headers,
    sniff_stream,
    sniff_type,
    with_extension,
)


def zip_bytes(entries, *, stored_first=False):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


def ooxml(part, big_first=False):
    entries = [("[Content_Types].xml", b"<Types/>"), ("_rels/.rels", b"<Relationships/>")]
    if big_first:  # a large entry first pushes the telling names past the head
        entries.insert(0, ("docProps/thumbnail.jpeg", random.Random(1).randbytes(20_000)))
    return zip_bytes([*entries, (part, b"<xml/>")])


def odf(mimetype):
    return zip_bytes([("mimetype", mimetype.encode()), ("content.xml", b"<x/>")], stored_first=True)


def ole(*stream_names):
    """A minimal OLE2 compound file: header, then one directory sector naming the streams."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    header[0x1E:0x20] = struct.pack("<H", 9)  # 512-byte sectors
    header[0x30:0x34] = struct.pack("<I", 1)  # first directory sector
    directory = bytearray(1024)
    for index, name in enumerate(["Root Entry", *stream_names]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[index * 128 : index * 128 + len(encoded)] = encoded
        directory[index * 128 + 64 : index * 128 + 66] = struct.pack("<H", len(encoded))
    return bytes(header) + bytes(512) + bytes(directory)


ALLOWED = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ft.PDF),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ft.PNG),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", ft.JPEG),
    "gif": (b"GIF89a\x01\x00\x01\x00", ft.GIF),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 ", ft.WEBP),
    "docx": (ooxml("word/document.xml"), ft.DOCX),
    "xlsx": (ooxml("xl/workbook.xml"), ft.XLSX),
    "pptx": (ooxml("ppt/presentation.xml"), ft.PPTX),
    "odt": (odf(ft.ODT), ft.ODT),
    "ods": (odf(ft.ODS), ft.ODS),
    "doc": (ole("WordDocument", "1Table"), ft.DOC),
    "xls": (ole("Workbook"), ft.XLS),
    "text": ("Referat fra årsmøtet\nStyret ble gjenvalgt.\n".encode(), ft.TEXT),
    "text with bom": ("\ufeffHei på deg".encode(), ft.TEXT),
    "csv": ("navn;kommune\nKari;Bø\nOla;Ås\n".encode(), ft.CSV),
    "csv comma": (b"a,b,c\n1,2,3\n", ft.CSV),
}
REFUSED = {
    "html": b"<!DOCTYPE html><html><body>hei</body></html>",
    "html fragment": b"Hei\n<script>alert(1)</script>\n",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "xml svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    "windows exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
    "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(8),
    "shell script": b"#!/bin/sh\nrm -rf /\n",
    "plain zip": zip_bytes([("notes.txt", b"x")]),
    "jar": zip_bytes([("META-INF/MANIFEST.MF", b"Main-Class: x")]),
    "odf with odd mimetype": odf("application/x-evil"),
    "msi (ole without office streams)": ole("\u4840\u3b3f\u4577"),
    "binary with nul": b"abc\x00def",
    "control characters": b"abc\x1b[2Jdef",
    "latin-1 text": "blåbær".encode("latin-1"),
    "empty": b"",
}


@pytest.mark.parametrize(("content", "mime"), ALLOWED.values(), ids=ALLOWED.keys())
def test_allowed_types_are_recognised_from_content(content, mime):
    assert sniff_type(content[: ft.HEAD_SIZE]) == mime
    stream = io.BytesIO(content)
    stream.seek(0)
    assert sniff_stream(stream) == mime
    assert stream.tell() == 0  # rewound for the upload that follows


@pytest.mark.parametrize("content", REFUSED.values(), ids=REFUSED.keys())
def test_everything_else_is_refused(content):
    assert sniff_type(content[: ft.HEAD_SIZE]) is None
    assert sniff_stream(io.BytesIO(content)) is None


def test_a_docx_whose_telling_entries_lie_past_the_head_needs_the_whole_file():
    content = ooxml("word/document.xml", big_first=True)
    assert len(content) > ft.HEAD_SIZE
    assert sniff_stream(io.BytesIO(content)) == ft.DOCX


def test_text_cut_inside_a_character_at_the_head_boundary_is_still_text():
    content = ("x" * (ft.HEAD_SIZE - 1) + "æøå").encode()
    assert sniff_type(content[: ft.HEAD_SIZE]) == ft.TEXT


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\boot.ini", "boot.ini"),
        ("/absolute/path/Referat.pdf", "Referat.pdf"),
        ("Årsmøte – sakliste.docx", "Årsmøte – sakliste.docx"),
        ("ctrl\x00\x07\x1bchars\n.txt", "ctrlchars.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("  spaces   inside  .pdf  ", "spaces inside .pdf"),
        ("..", "fil"),
        ("", "fil"),
        ("...hidden", "hidden"),
        ("CON.txt", "_CON.txt"),
        ("trailing dot.", "trailing dot"),
        ("e\u0301.txt", "é.txt"),  # NFC: one character, as macOS and Windows agree on
    ],
)
def test_filenames_are_cleaned(name, cleaned):
    assert clean_filename(name) == cleaned


def test_long_filenames_are_cut_keeping_the_extension():
    cleaned = clean_filename("å" * 400 + ".pdf")
    assert len(cleaned) == 150 and cleaned.endswith("å.pdf")
    assert len(clean_filename("x" * 400)) == 150


def test_download_name_ends_in_the_sniffed_types_extension():
    assert with_extension("referat.pdf", ft.PDF) == "referat.pdf"
    assert with_extension("bilde.JPEG", ft.JPEG) == "bilde.JPEG"
    assert with_extension("run.bat", ft.TEXT) == "run.bat.txt"
    assert with_extension("../x", ft.CSV) == "x.csv"


def test_content_disposition_has_an_ascii_fallback_and_utf8_name():
    assert content_disposition("Årsmøte for Østfold & Bø.pdf") == (
        'attachment; filename="Arsmote for Ostfold & Bo.pdf"; '
        "filename*=UTF-8''%C3%85rsm%C3%B8te%20for%20%C3%98stfold%20%26%20B%C3%B8.pdf"
    )
    assert content_disposition("bilde.jpg", inline=True).startswith('inline; filename="bilde.jpg"')
    quoted = content_disposition('x";\r\nSet-Cookie: a=b.txt')
    assert "\r" not in quoted and "\n" not in quoted and quoted.count('"') == 2
    assert content_disposition("ææ.txt").startswith('attachment; filename="aeae.txt"')
    assert content_disposition("中文.txt").startswith('attachment; filename=".txt"')


def test_download_headers():
    assert download_headers("referat.pdf", ft.PDF) == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename=\"referat.pdf\"; filename*=UTF-8''referat.pdf",
        "X-Content-Type-Options": "nosniff",
    }
