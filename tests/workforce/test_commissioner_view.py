"""The commissioner's workforce page: the model on the configured snapshot, with disclosure control."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workforce.fixtures import child, write_snapshot

URL = "/workforce/"


@pytest.fixture
def snapshot(tmp_path):
    rows = [child(i, dt.date(2023, 1 + i % 12, 1 + i % 28), decile=1 + i % 10) for i in range(300)]
    rows += [child(1000 + i, dt.date(2024, 3, 1 + i), la="E06000002") for i in range(3)]
    staff = [{"practitioner_id": "p1", "team_id": "T1", "role": "hv", "wte": 1.5, "band": "6"}]
    teams = [{"team_id": "T1", "name": "North", "local_authority": "E06000001"}]
    return write_snapshot(tmp_path / "snap", rows, staff=staff, teams=teams)


def test_only_analysts_and_leads_may_open_it(client, hv, analyst, settings):
    settings.WORKFORCE_SNAPSHOT_DIR = ""
    client.force_login(hv)
    assert client.get(URL).status_code == 403
    client.force_login(analyst)
    page = client.get(URL).content.decode()
    assert "No analytics snapshot is configured" in page


def test_the_page_shows_areas_with_protected_counts_a_chart_and_in_post(client, analyst, settings, snapshot):
    settings.WORKFORCE_SNAPSHOT_DIR = str(snapshot)
    client.force_login(analyst)
    page = client.get(URL).content.decode()
    table = page.split('id="areas-table"')[1].split("</table>")[0]
    first, second = table.split("E06000001")[1], table.split("E06000002")[1]
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Children 0 to 4 </span>300</td>'
        in first
    )
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Children 0 to 4 </span>*</td>'
        in second
    )  # 3 children: suppressed
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">iHV 1:250 </span>1.2</td>'
        in first
    )  # 300 / 250
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">In post </span>1.5</td>'
        in first
    )  # in post
    assert "not known" in second
    assert 'class="pimh-chart"' in page and "<polygon" in page
    assert "What moves the total most" in page


def test_an_unreadable_snapshot_is_reported_on_the_page(client, analyst, settings, tmp_path):
    settings.WORKFORCE_SNAPSHOT_DIR = str(tmp_path / "missing")
    client.force_login(analyst)
    page = client.get(URL).content.decode()
    assert "The snapshot cannot be read" in page
    assert "does not exist" in page


def test_analysts_have_it_in_their_navigation(client, analyst, settings):
    settings.WORKFORCE_SNAPSHOT_DIR = ""
    client.force_login(analyst)
    assert f'href="{URL}"' in client.get("/overview/").content.decode()


def test_the_pdf_holds_the_same_protected_figures(client, analyst, hv, settings, snapshot):
    settings.WORKFORCE_SNAPSHOT_DIR = str(snapshot)
    client.force_login(hv)
    assert client.get(URL + "report.pdf").status_code == 403
    client.force_login(analyst)
    assert URL + "report.pdf" in client.get(URL).content.decode()
    response = client.get(URL + "report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="workforce-model.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_without_a_snapshot_there_is_no_pdf(client, analyst, settings):
    settings.WORKFORCE_SNAPSHOT_DIR = ""
    client.force_login(analyst)
    assert client.get(URL + "report.pdf").status_code == 404


def test_the_print_page_behind_the_pdf_shows_protected_counts(settings, snapshot, db):
    from django.template.loader import render_to_string

    from pimh.workforce.views import _commissioner_context

    settings.WORKFORCE_SNAPSHOT_DIR = str(snapshot)
    html = render_to_string("workforce/commissioner_print.jinja", _commissioner_context())
    second = html.split('id="areas-table"')[1].split("E06000002")[1]
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Children 0 to 4 </span>*</td>'
        in second
    )
    assert 'class="pimh-chart"' in html and "<script" not in html


def test_a_scenario_shows_the_change_from_the_baseline(client, analyst, settings, snapshot):
    settings.WORKFORCE_SNAPSHOT_DIR = str(snapshot)
    client.force_login(analyst)
    baseline = client.get(URL).content.decode()
    assert "Change from baseline" not in baseline
    page = client.get(URL, {"scenario": "halve_universal_extra_contacts"}).content.decode()
    assert "Scenario: <strong>" in page and "Change from baseline (median)" in page
    change = float(page.split('id="scenario-change">')[1].split("<")[0])
    assert change < 0  # fewer extra contacts at Universal level: less work
    assert 'href="/workforce/report.pdf?scenario=halve_universal_extra_contacts"' in page
    unknown = client.get(URL, {"scenario": "../../etc/passwd"}).content.decode()
    assert "Change from baseline" not in unknown  # only shipped scenarios are run


def test_the_csv_holds_the_same_protected_figures(client, analyst, settings, snapshot):
    settings.WORKFORCE_SNAPSHOT_DIR = str(snapshot)
    client.force_login(analyst)
    response = client.get("/workforce/report.csv", {"scenario": "antenatal_coverage_90"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("local_authority,children,births")
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert rows["E06000001"][1] == "300" and rows["E06000002"][1] == "*"
    assert rows["E06000001"][-1] != ""  # the change from the baseline
