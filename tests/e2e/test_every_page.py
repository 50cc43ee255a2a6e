"""Every page of the product, as the role that uses it, passes axe (WCAG 2.2 A/AA) and fits a phone:
at 1280 px and at 390 px nothing scrolls sideways (issue 10, defect 9). The pages come from the
scoping walk's list of URLs (tests/test_scoping.py), so a new page is toured as soon as it is added
there; the few not listed are named below with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_accessible, log_in
from tests.test_scoping import NOT_IDENTIFIABLE, identifiable_urls, team_a_records  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# Not pages: a POST-only action, and the ends of the login and second-factor flows (their pages are
# toured by tests/e2e/test_foundation_journey.py and tests/core).
NOT_PAGES = {"suggestion-decide", "api-token-revoke", "logout", "otp-verify", "otp-enrol", "otp-enrolment-needed"}
# The workforce model and the indicator downloads need a snapshot: toured by
# tests/e2e/test_workforce_journey.py and tests/e2e/test_indicators_journey.py.
ELSEWHERE = {
    "workforce-commissioner",
    "workforce-commissioner-pdf",
    "workforce-commissioner-csv",
    "indicators-rebuild",
    "indicators-download",
    "home",
    "login",
}
LEAD_PAGES = [
    "worklist",
    "caseload",
    "family-register",
    "break-glass",
    "help",
    "api-tokens",
    "otp-setup",
    "team-overview",
    "team-urgent-flags",
    "referrals-team",
    "team-supervision",
    "supervision-record",
    "training-record",
    "break-glass-log",
    "workforce-caseloads",
]
SPECIALIST_PAGES = ["specialist-caseload", "specialist-queue", "diary"]
ANALYST_PAGES = ["overview", "indicators"]


def _tour(page, base: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(base + path)
        status = response.status if response is not None else 0
        try:
            assert status == 200, f"{path} answered {status}"
            assert_accessible(page, path)
        except AssertionError as error:
            problems.append(str(error))
    return problems


def test_the_page_lists_cover_every_page():
    named = set(LEAD_PAGES) | set(SPECIALIST_PAGES) | set(ANALYST_PAGES) | {"team-member-overdue"}
    assert NOT_IDENTIFIABLE - named - NOT_PAGES - ELSEWHERE == set()


def test_every_page_passes_axe_and_fits_a_phone(request, live_server, new_page, hv, lead, specialist, analyst):
    base = live_server.url
    records = request.getfixturevalue("team_a_records")
    # A PDF (the referral letter) is not a page: tests/referrals/test_letter.py opens it.
    pages = [path for path in identifiable_urls(records) if "/decide/" not in path and not path.endswith(".pdf")]
    pages += [reverse(name) for name in LEAD_PAGES]
    pages += [reverse("team-member-overdue", args=[hv.pk]), reverse("caseload") + "?q=Testington"]

    problems = []
    for user, paths in [
        (lead, pages),
        (specialist, [reverse(name) for name in SPECIALIST_PAGES]),
        (analyst, [reverse(name) for name in ANALYST_PAGES]),
    ]:
        page = new_page()
        log_in(page, base, user)
        problems += _tour(page, base, paths)
        problems += [f"{user.username}: {problem}" for problem in page.problems]
    assert not problems, "\n\n".join(problems)
