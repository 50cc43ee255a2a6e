"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's live server.

Run with ``.venv/bin/pytest tests/e2e``. Set ``PIMH_SCREENSHOTS=1`` to also write the
screenshots in docs/screenshots/ (a normal run writes nothing into the repository).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True
    )

# Playwright's sync API keeps an asyncio event loop running on the test's thread, so
# Django's async-safety check would refuse every ORM call a browser test makes (creating
# personas and families, checking what was saved) with SynchronousOnlyOperation. Nothing is
# really concurrent here: the test and Playwright take turns on one thread, and the live
# server answers the browser from its own thread. This is process-wide, so it only relaxes
# that check; it changes nothing else.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)

from pimh.core.models import User  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402

LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# axe is served to the page from this same-origin path by a Playwright route, so the page's
# strict Content-Security-Policy (script-src 'self' + nonce) stays switched on in every test:
# an inline <script> (add_script_tag(path=...)) would be refused, a same-origin src is allowed.
AXE_PATH = "/__e2e__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _serve_axe(route: Route) -> None:
    route.fulfill(path=AXE_JS, content_type="text/javascript; charset=utf-8")


def _is_local(url: str) -> bool:
    return url.startswith(("http://localhost:", "http://127.0.0.1:"))


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (its own cookies); keyword arguments go to new_context.

    Requests outside the live server (the NHS.UK fonts on assets.nhs.uk) are refused, so the
    tests never depend on the internet and the fonts fall back to Arial, as the NHS.UK CSS
    intends. ``page.problems`` collects what a user would not see but should worry us: scripts
    or styles refused by the CSP, script errors, and failed or missing local resources.
    """
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page(**context_options: object) -> Page:
        context = browser.new_context(**context_options)  # type: ignore[arg-type]
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(lambda url: not _is_local(url), lambda route: route.abort("blockedbyclient"))
        context.route(f"**{AXE_PATH}", _serve_axe)
        page = context.new_page()
        problems: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            # Failed loads are reported below, with their address.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                problems.append(f"{page.url}: {message.text}")

        def on_response(response: Response) -> None:
            if _is_local(response.url) and response.status >= 400 and response.request.resource_type != "document":
                problems.append(f"{page.url}: {response.status} for {response.url}")

        def on_request_failed(request: Request) -> None:
            # ERR_ABORTED: the browser dropped a load (often the favicon) because the page moved on.
            if _is_local(request.url) and "ERR_ABORTED" not in (request.failure or ""):
                problems.append(f"{page.url}: {request.failure} for {request.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.problems = problems  # type: ignore[attr-defined]
        # Without JavaScript axe cannot run: such a page (the same markup the other tests check with
        # JavaScript on) is not tracked.
        page.pimh_javascript = context_options.get("java_script_enabled", True)  # type: ignore[attr-defined]
        if page.pimh_javascript:  # type: ignore[attr-defined]
            _track_loads(page)
        pages.append(page)
        return page

    yield open_page
    unchecked = [url for page in pages for url in _unchecked(page)]
    for context in contexts:
        context.close()
    assert not unchecked, "pages loaded but never given to assert_accessible:\n" + "\n".join(unchecked)


def _track_loads(page: Page) -> None:
    """Every page the browser loads must be checked by ``assert_accessible`` before the next load:
    the fixture fails the test at the end when one was not (so no page state escapes the checks)."""
    page.pimh_pending = None  # type: ignore[attr-defined]
    page.pimh_missed = []  # type: ignore[attr-defined]

    def on_load(loaded: Page) -> None:
        if loaded.pimh_pending is not None:  # type: ignore[attr-defined]
            loaded.pimh_missed.append(loaded.pimh_pending)  # type: ignore[attr-defined]
        loaded.pimh_pending = loaded.url  # type: ignore[attr-defined]

    page.on("load", on_load)


def _unchecked(page: Page) -> list[str]:
    if not page.pimh_javascript:  # type: ignore[attr-defined]
        return []
    pending = [page.pimh_pending] if page.pimh_pending is not None else []  # type: ignore[attr-defined]
    return [*page.pimh_missed, *pending]  # type: ignore[attr-defined]


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


# The login page is the same for everyone and never changes: checked once per test session.
_LOGIN_CHECKED: list[bool] = []


def log_in(page: Page, base_url: str, user: User) -> None:
    """Sign in through the real login form. The page the user lands on is checked by assert_accessible;
    the login page itself (the same for everyone) once a test session."""
    page.goto(f"{base_url}/login/")
    checking = page.pimh_javascript  # type: ignore[attr-defined]
    if checking and _LOGIN_CHECKED:
        page.pimh_pending = None  # type: ignore[attr-defined]
    elif checking:
        assert_accessible(page, "login")
        _LOGIN_CHECKED.append(True)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if checking:
        assert_accessible(page, "landing page after logging in")


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _axe_violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_PATH)
    results = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[node['target'] for node in v['nodes']]}"
        for v in results["violations"]
    ]


def _overflow(page: Page) -> str:
    """'' when nothing is wider than the viewport, else the widths and the widest offending elements."""
    return str(
        page.evaluate(
            """() => {
              const width = window.innerWidth, scroll = document.documentElement.scrollWidth;
              if (scroll <= width) return "";
              const wide = [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
              return `scrollWidth ${scroll} > innerWidth ${width}: ${wide.join(", ")}`;
            }"""
        )
    )


def assert_accessible(page: Page, what: str) -> None:
    """At 1280 px and at 390 px wide: no WCAG 2.2 A/AA violations that axe-core can find on the
    page as it is now, and nothing wider than the window (no sideways scrolling on a phone).
    The viewport is put back as it was afterwards."""
    page.wait_for_load_state()
    before = page.viewport_size
    problems: list[str] = []
    try:
        for name, size in (("1280 px", DESKTOP), ("390 px", PHONE)):
            page.set_viewport_size(size)
            # Let the NHS.UK header finish re-laying out its navigation for the new width (it moves
            # links in and out of its "More" menu from resize and ResizeObserver callbacks).
            page.evaluate(
                "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"
            )
            problems += [f"at {name}: {v}" for v in _axe_violations(page)]
            overflow = _overflow(page)
            if overflow:
                problems.append(f"at {name}: the page scrolls sideways ({overflow})")
    finally:
        page.set_viewport_size(before or DESKTOP)
    page.pimh_pending = None  # type: ignore[attr-defined]
    assert not problems, f"problems on the {what} page ({page.url}):\n" + "\n".join(problems)


def screenshot(page: Page, name: str, *, phone: bool = False) -> None:
    """Save a viewport screenshot (what the user sees first) for the docs, only when PIMH_SCREENSHOTS=1;
    ``phone=True`` takes it 390 px wide (the viewport is put back afterwards)."""
    if os.environ.get("PIMH_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    page.set_viewport_size(PHONE if phone else DESKTOP)
    try:
        page.screenshot(path=SCREENSHOTS / name, full_page=False)
    finally:
        page.set_viewport_size(before or DESKTOP)
