"""Records of processing (GDPR art. 30): what the portal stores, why, how long, who sees it.

Generated from configuration, so the retention figures always match the running portal.
`records()` feeds the admin page; `as_markdown()` is the document to file or hand out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from innsiden.profile.settings import setting


@dataclass(frozen=True)
class Record:
    what: str
    why: str
    how_long: str
    who_sees: str


def records() -> list[Record]:
    days = int(setting("RETENTION_DAYS"))
    export_days = int(setting("EXPORT_DAYS"))
    after_leaving = _("til %(days)d dager etter utmelding, så anonymisert", days=days)
    return [
        Record(
            _(
                "Speil av medlemsregisteret: navn, adresse, kommune, mobil, e-post, lokallag, "
                "status, innmeldt, betalt til, verv"
            ),
            _("Innlogging, tilgangskontroll, gruppemedlemskap og ledernes medlemslister"),
            after_leaving,
            _("Medlemmet selv; ledere med verv i lokallaget eller fylkeslaget (medlemslisten)"),
        ),
        Record(
            _("Profil i portalen: bilde, litt om meg, interesser, valg om synlig e-post og mobil"),
            _("Medlemmene skal finne og kjenne hverandre igjen i gruppene"),
            after_leaving,
            _("Medlemmer i de samme gruppene (e-post og mobil bare når medlemmet har valgt det)"),
        ),
        Record(
            _("Innlegg, reaksjoner, filer, påmeldinger med svar, stemmer i åpne avstemninger"),
            _("Organisasjonens arbeid i gruppene"),
            _(
                "Så lenge organisasjonen trenger dem; etter utmelding vist som «Tidligere medlem», "
                "påmeldingssvar slettet"
            ),
            _("Gruppens medlemmer; påmeldingssvar bare arrangørene"),
        ),
        Record(
            _("Hemmelige stemmesedler"),
            _("Opptelling av hemmelige avstemninger"),
            _("Så lenge avstemningen finnes"),
            _("Ingen: ingenting knytter stemmeseddelen til medlemmet"),
        ),
        Record(
            _("Varsler og varselinnstillinger"),
            _("Fortelle medlemmet om det som angår dem"),
            after_leaving,
            _("Medlemmet selv"),
        ),
        Record(
            _("Endringsønsker til medlemsregisteret"),
            _("Videreformidle medlemmets ønske om retting til registeret"),
            after_leaving,
            _("Medlemmet selv; medlemsservice som mottar dem"),
        ),
        Record(
            _("Nedlastinger av egne data"),
            _("Medlemmets rett til innsyn og dataportabilitet"),
            _("%(days)d dager", days=export_days),
            _("Medlemmet selv"),
        ),
        Record(
            _(
                "Revisjonslogg: innlogginger, sperringer, ledernes visning og eksport av "
                "medlemslister"
            ),
            _("Sikkerhet, og å kunne vise hvem som har sett hvem"),
            _("Beholdes; etter anonymisering bare med medlemsnummer"),
            _("Portaladministratorer; hvert medlem ser sine egne oppføringer i nedlastingen"),
        ),
    ]


def as_markdown(organisation: str) -> str:
    lines = [
        "# " + _("Protokoll over behandlingsaktiviteter – %(org)s", org=organisation),
        "",
        _("Behandlingsansvarlig: %(org)s. Generert fra portalens innstillinger.",
          org=organisation),
        "",
    ]  # fmt: skip
    for record in records():
        lines += [
            f"## {record.what}",
            "",
            f"- **{_('Formål')}:** {record.why}",
            f"- **{_('Lagringstid')}:** {record.how_long}",
            f"- **{_('Hvem ser det')}:** {record.who_sees}",
            "",
        ]
    return "\n".join(lines)
