"""The organisation's changes of shape in a run, told in Norwegian for the dry-run report:

0012 Nord-Fron slås sammen med 0013 Sør-Fron til 0020 Fron
0030 Fron deles i 0031 Nord-Fron og 0032 Sør-Fron
0301 Bergen flyttes fra F01 Vestland til F02 Rogaland
"""

from __future__ import annotations

from membersync.plan import Plan


def reshape_lines(plan: Plan) -> list[str]:
    """One sentence per merge target, per split source and per moved unit."""
    merges: dict[str, list[str]] = {}
    splits: dict[str, list[str]] = {}
    lines: list[str] = []
    created = {c.unit_id for c in plan.changes if c.kind == "unit_created"}
    removed = set(plan.unit_removals)
    for change in plan.changes:
        unit_id = str(change.unit_id)
        if change.kind == "unit_merged":
            merges.setdefault(str(change.detail["til"]), []).append(unit_id)
        elif change.kind == "unit_split":
            splits.setdefault(str(change.detail["fra"]), []).append(unit_id)
        elif change.kind == "unit_reparented":
            lines.append(
                f"{_name(plan, unit_id)} flyttes fra {_name(plan, change.detail.get('fra'))} "
                f"til {_name(plan, change.detail.get('til'))}"
            )
    merge_lines = []
    for target, sources in merges.items():
        named = [_name(plan, s) for s in sorted(sources)]
        if target in created and len(named) > 1:
            text = f"{named[0]} slås sammen med {_and(named[1:])} til {_name(plan, target)}"
        elif target in created:
            text = f"{named[0]} går inn i {_name(plan, target)}"
        else:
            text = f"{_and(named)} slås sammen med {_name(plan, target)}"
        merge_lines.append(text)
    split_lines = []
    for source, parts in splits.items():
        named = _and([_name(plan, p) for p in sorted(parts)])
        if source in removed:
            split_lines.append(f"{_name(plan, source)} deles i {named}")
        else:
            split_lines.append(f"{named} skilles ut fra {_name(plan, source)}")
    return merge_lines + split_lines + lines


def _name(plan: Plan, unit_id: object) -> str:
    if unit_id is None:
        return "(ingen)"
    name = plan.unit_names.get(str(unit_id))
    return f"{unit_id} {name}" if name else str(unit_id)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
