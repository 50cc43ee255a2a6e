"""Risk at a glance on the caseload and "My work": safeguarding, an open urgent flag, interpreter need."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.families import services
from pimh.screening import services as screening_services
from tests.conftest import person_data

TODAY = timezone.localdate()


def _family(hv, team, *, safeguarding="none", interpreter=False, flag=None, name="Plain"):
    family = services.register_family(
        by=hv,
        team=team,
        allocated_hv=hv,
        details=services.FamilyDetails(
            safeguarding=safeguarding, interpreter_needed=interpreter, language="Polish" if interpreter else "English"
        ),
        parent=person_data(family_name=name),
    )
    mother = family.people.get()
    if flag is not None:
        raised = screening_services.raise_flag(by=hv, family=family, person=mother, reason="self_harm_thoughts")
        if flag == "closed":
            screening_services.close_flag(by=hv, flag=raised, action_taken="Seen by GP")
    contact_services.create_task(
        by=None, family=family, kind="follow_up", title=f"Visit {name}", due_from=TODAY, due_by=TODAY + dt.timedelta(7)
    )
    return family


def _row(page: str, name: str) -> str:
    rows = [row for row in re.findall(r"<tr class=\"nhsuk-table__row\"[^>]*>(.*?)</tr>", page, re.S) if name in row]
    assert len(rows) >= 1, name
    return rows[0]


def test_caseload_shows_safeguarding_open_flag_and_interpreter_tags(client, hv, team_a):
    _family(hv, team_a, safeguarding="cp", interpreter=True, flag="open", name="Risky")
    _family(hv, team_a, name="Plain")
    client.force_login(hv)
    page = client.get("/caseload/").content.decode()
    risky, plain = _row(page, "Risky"), _row(page, "Plain")
    assert "Child protection plan" in risky
    assert "Open urgent flag" in risky
    assert "Interpreter: Polish" in risky
    assert "nhsuk-tag" not in plain


def test_a_cleared_flag_is_no_longer_tagged(client, hv, team_a):
    _family(hv, team_a, flag="closed", name="Cleared")
    client.force_login(hv)
    assert "Open urgent flag" not in _row(client.get("/caseload/").content.decode(), "Cleared")


def test_my_work_shows_the_family_risk_tags(client, hv, team_a):
    _family(hv, team_a, safeguarding="cin", interpreter=True, flag="open", name="Risky")
    _family(hv, team_a, name="Plain")
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    risky = _row(page, "Visit Risky")
    assert "Child in need" in risky
    assert "Open urgent flag" in risky
    assert "Interpreter: Polish" in risky
    assert "Interpreter" not in _row(page, "Visit Plain")


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_risk_tags_add_no_query_per_row(client, hv, team_a):
    _family(hv, team_a, safeguarding="cp", interpreter=True, flag="open", name="First")
    client.force_login(hv)
    small = {url: _queries(client, url) for url in ("/caseload/", "/work/")}
    for n in range(4):
        _family(hv, team_a, safeguarding="cp", interpreter=True, flag="open", name=f"More{n}")
    assert {url: _queries(client, url) for url in ("/caseload/", "/work/")} == small


def _caseload_links(client, **params):
    page = client.get("/caseload/", params).content.decode()
    return set(re.findall(r'href="/families/(\d+)/"', page))


def test_caseload_filters_by_service_level_safeguarding_flag_and_interpreter(client, hv, team_a):
    risky = _family(hv, team_a, safeguarding="cp", interpreter=True, flag="open", name="Risky")
    plain = _family(hv, team_a, name="Plain")
    cleared = _family(hv, team_a, flag="closed", name="Cleared")
    client.force_login(hv)
    everyone = {str(f.pk) for f in (risky, plain, cleared)}
    assert _caseload_links(client) == everyone
    assert _caseload_links(client, safeguarding="on") == {str(risky.pk)}
    assert _caseload_links(client, flagged="on") == {str(risky.pk)}
    assert _caseload_links(client, interpreter="on") == {str(risky.pk)}
    assert _caseload_links(client, level="universal") == everyone
    assert _caseload_links(client, level="partnership_plus") == set()
    assert _caseload_links(client, level="not-a-level") == everyone
