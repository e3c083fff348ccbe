"""Demo files in Bergen lokallag's group: a meeting agenda (PDF), minutes (text) and a photo
(PNG), uploaded by Kari Nordmann through the same service members use."""

from __future__ import annotations

import io
import struct
import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.files import intake, service
from innsiden.files.models import Folder
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from membersync.models import Member, OrgUnit

KARI = 100_001
FOLDER = "Møtepapirer"
AGENDA_LINES = (
    "Dagsorden - medlemsmote i Bergen lokallag",
    "Torsdag kl. 19.00, Folkets hus",
    "1. Apning og konstituering",
    "2. Arsmelding og regnskap",
    "3. Valgkampen 2027",
    "4. Eventuelt",
)
MINUTES = """Referat fra styremøtet i Bergen lokallag

Til stede: Kari Nordmann (leder) og fire styremedlemmer.

Sak 1: Medlemsmøtet neste måned. Dagsorden godkjent, se egen fil.
Sak 2: Stand på Torgallmenningen lørdag. Kari lager vaktliste.
Sak 3: Eventuelt. Ingen saker.
"""


@seeder("files")
def seed_files(session: Session) -> None:
    """Idempotent: nothing happens if Bergen's group has its "Møtepapirer" folder already."""
    kari = session.get(Member, KARI)
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.name == "Bergen lokallag"))
    unit_id = unit_id or (kari.lokallag_id if kari else None)
    if kari is None or unit_id is None:
        return
    group_id = location_group_ids(session, [unit_id]).get(unit_id)
    group = session.get(Group, group_id) if group_id else None
    if group is None:
        return
    exists = session.scalar(
        select(Folder.id).where(Folder.group_id == group.id, Folder.name == FOLDER)
    )
    if exists is not None:
        return
    folder = service.create_folder(session, kari, group, FOLDER)
    service.upload(
        session, kari, group,
        [intake.Upload("Dagsorden medlemsmøte.pdf", io.BytesIO(agenda_pdf()))],
        folder_id=folder.id, description="Dagsorden for medlemsmøtet, til gjennomlesning.",
    )  # fmt: skip
    service.upload(
        session, kari, group,
        [intake.Upload("Referat styremøte.txt", io.BytesIO(MINUTES.encode()))],
        folder_id=folder.id,
    )  # fmt: skip
    service.upload(
        session, kari, group,
        [intake.Upload("Stand på Torgallmenningen.png", io.BytesIO(demo_png()))],
        description="Bilde fra standen i høst.",
    )  # fmt: skip


def agenda_pdf() -> bytes:
    """A small, valid one-page PDF with the agenda in Helvetica (offsets computed)."""
    text = (
        "BT /F1 14 Tf 72 770 Td 20 TL " + " ".join(f"({line}) '" for line in AGENDA_LINES) + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def demo_png(width: int = 480, height: int = 320) -> bytes:
    """A PNG made without Pillow (only `innsiden.images` imports it): a green-blue gradient."""
    rows = b"".join(
        b"\x00" + b"".join(
            bytes((40 + x * 120 // width, 110 + y * 100 // height, 90 + (x + y) % 80))
            for x in range(width)
        )
        for y in range(height)
    )  # fmt: skip

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
        )

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
