"""Every action the code asks about has a rule: a misspelt action would quietly say "no"
(deny by default), hiding a button or refusing a page to everyone without an error."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from innsiden import access, templates_folder

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_ASK = re.compile(r"""\bcan\(\s*(['"])(?P<action>[^'"]+)\1""")


def _template_actions() -> dict[str, list[str]]:
    """action → the templates (under templates/) that ask `can('action', …)`."""
    folder = Path(templates_folder())
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.html")):
        for match in TEMPLATE_ASK.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match["action"], []).append(str(path.relative_to(folder)))
    return found


def _is_access_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("can", "require")
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("can", "require")
        and isinstance(func.value, ast.Name)
        and func.value.id == "access"
    )


def _python_actions() -> dict[str, list[str]]:
    """action → the places in innsiden/ passing it as a literal to access.can/require."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "innsiden").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _is_access_call(node):
                continue
            given = [k.value for k in node.keywords if k.arg == "action"] + node.args[2:3]
            for arg in given:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(arg.value, []).append(where)
    return found


def test_every_action_a_template_asks_for_has_a_rule(app):
    asked = _template_actions()
    assert len(asked) > 10, "the templates' can() calls were not found"
    unknown = {a: where for a, where in asked.items() if a not in access.known_actions()}
    assert unknown == {}


def test_every_action_the_code_asks_for_has_a_rule(app):
    asked = _python_actions()
    assert len(asked) > 20, "the calls of access.can/require were not found"
    unknown = {a: where for a, where in asked.items() if a not in access.known_actions()}
    assert unknown == {}
