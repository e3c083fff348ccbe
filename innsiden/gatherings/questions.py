"""Sign-up questions: written one per line by organisers, answered by members.

A line is a free-text question ("Matallergier eller andre hensyn?"), or a choice when it
ends with the options in square brackets: "Trenger du overnatting? [Ja | Nei]". A choice
must be answered; free text may be left empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from innsiden.errors import ValidationFailed
from innsiden.gatherings.models import GatheringQuestion

MAX_QUESTIONS = 10
MAX_ANSWER = 500
_CHOICE = re.compile(r"^(?P<label>.+?)\s*\[(?P<options>[^\]]+)\]\s*$")


@dataclass(frozen=True)
class QuestionInput:
    label: str
    kind: str = "text"
    choices: tuple[str, ...] = ()


def parse_lines(text: str) -> list[QuestionInput]:
    """The questions an organiser wrote, one per line."""
    found = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _CHOICE.match(line)
        if match:
            options = tuple(o.strip() for o in match["options"].split("|") if o.strip())
            found.append(QuestionInput(match["label"], "choice", options))
        else:
            found.append(QuestionInput(line))
    return found


def as_lines(questions: Sequence[GatheringQuestion]) -> str:
    """The questions written back as the organiser's lines (for the edit form)."""
    lines = []
    for question in questions:
        if question.kind == "choice":
            lines.append(f"{question.label} [{' | '.join(question.choices)}]")
        else:
            lines.append(question.label)
    return "\n".join(lines)


def check(questions: Sequence[QuestionInput]) -> list[QuestionInput]:
    if len(questions) > MAX_QUESTIONS:
        raise ValidationFailed(fields={"questions": _("Høyst 10 spørsmål.")})
    for question in questions:
        if len(question.label) > 300:
            raise ValidationFailed(fields={"questions": _("Et spørsmål er for langt.")})
        if question.kind == "choice" and len(question.choices) < 2:
            raise ValidationFailed(
                fields={"questions": _("Et valg må ha minst to svar, som [Ja | Nei].")}
            )
    return list(questions)


def replace(
    existing: list[GatheringQuestion], wanted: Sequence[QuestionInput]
) -> list[GatheringQuestion]:
    """The new question list, keeping rows (and so their answers) whose label is unchanged."""
    by_label = {q.label: q for q in existing}
    result = []
    for position, question in enumerate(wanted):
        row = by_label.pop(question.label, None) or GatheringQuestion(label=question.label)
        row.position, row.kind, row.choices = position, question.kind, list(question.choices)
        result.append(row)
    return result


def clean_answers(
    questions: Sequence[GatheringQuestion], raw: Mapping[str, object]
) -> dict[str, str]:
    """The member's answers keyed by question id, checked against the questions."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        key = str(question.id)
        value = str(raw.get(key) or "").strip()
        if question.kind == "choice":
            if value not in question.choices:
                errors[f"q{key}"] = _("Velg et av svarene.")
                continue
        elif len(value) > MAX_ANSWER:
            errors[f"q{key}"] = _("Svaret er for langt.")
            continue
        answers[key] = value
    if errors:
        raise ValidationFailed(_("Svar på spørsmålene."), fields=errors)
    return answers
