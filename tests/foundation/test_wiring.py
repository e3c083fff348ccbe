"""Each capability wires itself: every sub-package of innsiden with an `init_app` is a
capability, listed once in the factory, and its init_app registers what it brings (here: its
blueprints). Sub-packages without one are libraries the capabilities use."""

from importlib import import_module
from pathlib import Path

import innsiden
from innsiden import CAPABILITIES

PACKAGE = Path(innsiden.__file__).parent


def test_every_capability_package_is_wired_once_by_the_factory():
    packages = [import_module(f"innsiden.{p.parent.name}") for p in PACKAGE.glob("*/__init__.py")]
    wired = {p.__name__.removeprefix("innsiden.") for p in packages if hasattr(p, "init_app")}
    assert len(CAPABILITIES) == len(set(CAPABILITIES))
    assert set(CAPABILITIES) == wired


def test_the_app_serves_every_capability_s_blueprints(app):
    # Blueprints are named after their capability (`polls`, `polls_api`, `profile_admin`, …).
    owners = {name.split("_", 1)[0] for name in app.blueprints}
    assert owners == set(CAPABILITIES)
