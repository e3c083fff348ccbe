"""Headless Chromium (Debian's, driven by Playwright) against a live test server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests import services


@dataclass
class PageProblems:
    """Console errors and CSP violations a page produced."""

    console_errors: list[str] = field(default_factory=list)

    def record(self, message: object) -> None:
        if getattr(message, "type", "") == "error":
            self.console_errors.append(message.text)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = services.chromium_path()
    if path is None:
        services.unavailable("chromium", "no chromium executable is installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nb-NO")
    page = context.new_page()
    page.problems = PageProblems()
    page.on("console", page.problems.record)
    yield page
    context.close()
