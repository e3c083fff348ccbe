"""Papers attached to an event live in the group's file area and follow its access rule."""

from __future__ import annotations

import io

from innsiden.files.demo import agenda_pdf
from tests.gatherings.conftest import create_gathering


def test_an_organiser_attaches_the_agenda_and_only_the_group_can_open_it(world):
    kari = world.client(world.kari)
    gid = create_gathering(kari, world.bergen, audience="organisation")["id"]
    page = kari.post(
        f"/arrangementer/{gid}/vedlegg",
        data={"file": (io.BytesIO(agenda_pdf()), "sakliste.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Filen er lagt ved." in page.text
    shown = world.client(world.anne).get(f"/arrangementer/{gid}").text
    assert "sakliste.pdf" in shown
    link = shown[shown.index('href="/filer/') + 6 :].split('"')[0]
    with world.client(world.anne).get(link) as download:
        assert download.status_code == 200
        assert download.data.startswith(b"%PDF")
    # The event is open to everyone, the papers only to the group's members.
    outsider = world.client(world.outsider)
    seen = outsider.get(f"/arrangementer/{gid}").text
    assert "sakliste.pdf" not in seen
    assert "Vedleggene er bare for medlemmene av Bergen lokallag." in seen
    with outsider.get(link) as refused_download:
        assert refused_download.status_code == 404
    # Members who do not organise cannot attach.
    refused = world.client(world.anne).post(
        f"/arrangementer/{gid}/vedlegg",
        data={"file": (io.BytesIO(agenda_pdf()), "annet.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403
