"""Plain-text bokmål rendering of a counting report, for minutes and the projector view.

It lives outside `innsiden.counting` so the engine stays free of Flask and Babel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from flask_babel import gettext as _

from innsiden.counting.model import Report, Round, TieBreak

Label = Callable[[str], str]


def number(value: Fraction, decimals: int = 5) -> str:
    """A whole number as is, anything else with `decimals` places and a decimal comma."""
    if value.denominator == 1:
        return str(value.numerator)
    scaled = value.numerator * 10**decimals // value.denominator
    whole, part = divmod(abs(scaled), 10**decimals)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole},{part:0{decimals}d}"


def render(report: Report, names: Mapping[str, str] | None = None) -> str:
    """The whole count, round by round, as lines of text."""
    lookup = names or {}

    def label(candidate: str) -> str:
        return lookup.get(candidate, candidate)

    lines = [
        _("Stemmesedler: %(total)s, gyldige: %(valid)s, blanke: %(blank)s, forkastet: %(invalid)s",
          total=report.ballots, valid=report.valid, blank=report.blank, invalid=report.invalid),
    ]  # fmt: skip
    if report.quota is not None:
        lines.append(_("Valgtall: %(quota)s", quota=number(report.quota)))
    for round_ in report.rounds:
        lines += _round_lines(round_, label)
    if report.elected:
        lines.append(_("Valgt: %(names)s", names=", ".join(label(c) for c in report.elected)))
    if report.next_round is not None:
        standing = ", ".join(label(c) for c in report.next_round.candidates)
        lines.append(_("Ny valgomgang mellom: %(names)s", names=standing))
    return "\n".join(lines)


def _round_lines(round_: Round, name: Label) -> list[str]:
    lines = [_("Runde %(number)s", number=round_.number)]
    for candidate, votes in sorted(round_.tallies.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name(candidate)}: {number(votes)}")
    for transfer in round_.transfers:
        lines.append(_("  Overført fra %(source)s: %(moved)s, ikke overførbart: %(lost)s",
                       source=name(transfer.source),
                       moved=number(sum(transfer.to.values(), Fraction(0))),
                       lost=number(transfer.exhausted)))  # fmt: skip
    for candidate in round_.elected:
        lines.append(_("  Valgt: %(name)s", name=name(candidate)))
    for candidate in round_.eliminated:
        lines.append(_("  Utgår: %(name)s", name=name(candidate)))
    for candidate in round_.skipped:
        lines.append(_("  Hoppet over (kjønnsbalanse): %(name)s", name=name(candidate)))
    lines += [_tie_line(tie, name) for tie in round_.ties]
    return lines


def _tie_line(tie: TieBreak, name: Label) -> str:
    tied = ", ".join(name(c) for c in tie.tied)
    chosen = name(tie.chosen)
    if tie.by == "lot":
        return _("  Stemmelikhet mellom %(tied)s avgjort ved loddtrekning (frø %(seed)s, "
                 "forpliktelse %(commitment)s): %(chosen)s",
                 tied=tied, seed=tie.seed, commitment=tie.commitment, chosen=chosen)  # fmt: skip
    if tie.by == "chair":
        return _("  Stemmelikhet mellom %(tied)s avgjort av møteleder: %(chosen)s",
                 tied=tied, chosen=chosen)  # fmt: skip
    how = {
        "earlier_round": _("tidligere runde"),
        "nominee": _("valgkomiteens innstilling"),
    }[tie.by]
    return _("  Stemmelikhet mellom %(tied)s avgjort ved %(how)s: %(chosen)s",
             tied=tied, how=how, chosen=chosen)  # fmt: skip
