"""The team lead's weighted caseloads page and its what-if form (nothing is saved)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pimh.core.models import AuditEvent, User
from pimh.families.models import Family
from pimh.referrals.models import SpecialistInvolvement
from tests.conftest import make_family, make_user

URL = "/team/caseload-weights/"


@pytest.fixture(autouse=True)
def _count_on_every_view(settings):
    """These tests change the caseload between views: the sums are added up on each (core/recent.py)."""
    settings.AGGREGATE_CACHE_SECONDS = 0


@pytest.fixture
def part_timer(team_a):
    return make_user("petra", "hv", team_a, wte=Decimal("0.01"))


def test_only_a_team_lead_may_open_it(client, hv, analyst, lead):
    for user in (hv, analyst):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(lead)
    assert client.get(URL).status_code == 200


def test_new_staff_are_full_time_and_wte_must_be_above_0_and_at_most_1(hv):
    assert hv.wte == Decimal("1.00")
    for bad in ("0", "1.5"):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=hv.pk).update(wte=Decimal(bad))


def test_the_page_weights_each_practitioner_of_the_team_and_highlights_one_over(
    client, lead, hv, part_timer, colleague_b, team_a, team_b
):
    mine = make_family(by=hv, team=team_a, allocated_hv=part_timer)  # 1 infant, decile 3
    make_family(by=hv, team=team_a, allocated_hv=part_timer)
    make_family(by=hv, team=team_a, allocated_hv=hv)
    make_family(by=colleague_b, team=team_b, allocated_hv=colleague_b)
    client.force_login(lead)
    page = client.get(URL).content.decode()
    assert "Petra Tester" in page and "Hannah Tester" in page and "Lena Tester" in page
    assert "Bella Tester" not in page  # another team
    weight = 1.0 + 0.5 * 7 / 9  # a universal child in decile 3
    assert f'data-practitioner="{part_timer.pk}" data-over="true"' in page
    assert f'data-practitioner="{hv.pk}" data-over' not in page
    assert f"{weight:.1f}" in page
    assert f">{2 * weight / 0.01:.0f}</td>" in page  # weighted per WTE of the part-timer: 278, over 250
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "1:250" in page
    assert mine.reference not in page  # families are listed only once a practitioner is chosen


def test_open_pimh_need_adds_to_the_family_weight(client, lead, hv, specialist, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    client.force_login(lead)
    before = client.get(URL, {"source": hv.pk}).content.decode()
    SpecialistInvolvement.objects.create(
        family=family, specialist=specialist, kind="consultation", started=timezone.localdate()
    )
    after = client.get(URL, {"source": hv.pk}).content.decode()
    weight = 1.0 + 0.5 * 7 / 9
    assert f"{family.reference}: 1 child 0 to 4, weight {weight:.1f}" in before
    assert f"{family.reference}: 1 child 0 to 4, weight {weight + 2:.1f}" in after


def test_what_if_shows_before_and_after_and_saves_nothing(client, lead, hv, part_timer, team_a):
    moving = make_family(by=hv, team=team_a, allocated_hv=part_timer)
    client.force_login(lead)
    events = AuditEvent.objects.count()
    page = client.get(URL, {"source": part_timer.pk, "families": [moving.pk], "to": hv.pk}).content.decode()
    assert "Before and after the move" in page
    assert "nothing has been saved" in page
    assert page.count('class="pimh-chart"') == 2
    rows = page.split('id="before-after"')[1].split("</table>")[0]
    assert "Petra Tester" in rows and "Hannah Tester" in rows and "Lena Tester" not in rows
    assert Family.objects.get(pk=moving.pk).allocated_hv_id == part_timer.pk
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (lambda f, s, t: {"source": s, "families": [f], "to": s}, "Choose a different practitioner"),
        (lambda f, s, t: {"source": t, "families": [f], "to": s}, "Select a valid choice"),
        (lambda f, s, t: {"source": s, "to": t}, "Choose one or more families"),
        (lambda f, s, t: {"source": s, "families": [f]}, "Choose who the families would move to"),
        (lambda f, s, t: {"source": 999999}, "Select a valid choice"),
    ],
)
def test_a_bad_what_if_shows_an_error_and_no_result(client, lead, hv, part_timer, team_a, params, message):
    family = make_family(by=hv, team=team_a, allocated_hv=part_timer)
    client.force_login(lead)
    page = client.get(URL, params(family.pk, part_timer.pk, hv.pk)).content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "Before and after the move" not in page


def test_queries_do_not_grow_with_the_caseload(client, lead, hv, team_a, django_assert_max_num_queries):
    for _ in range(3):
        make_family(by=hv, team=team_a, allocated_hv=hv)
    client.force_login(lead)
    with django_assert_max_num_queries(20) as small:
        client.get(URL)
    for _ in range(12):
        make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=400)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(URL).content.decode()
    assert ">15</td>" in page  # hv's families


def test_a_child_aged_five_is_not_counted(client, lead, hv, team_a):
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=6 * 366)  # six years old
    client.force_login(lead)
    page = client.get(URL).content.decode()
    row = page.split(f'data-practitioner="{hv.pk}"')[1].split("</tr>")[0]
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Families </span>1</td>\n      '
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Children 0 to 4 </span>0</td>'
        in row
    )


def test_the_team_view_links_to_it(client, lead):
    client.force_login(lead)
    assert URL in client.get("/team/").content.decode()


@pytest.mark.parametrize("what", ["page", "listed", "what-if"])
def test_rows_read_do_not_grow_when_the_caseload_grows_five_times(
    client, lead, hv, part_timer, team_a, monkeypatch, what
):
    from pimh.workforce import views
    from tests.rows import rows_for

    monkeypatch.setattr(views, "FAMILIES_PAGE_SIZE", 3)
    moving = [make_family(by=hv, team=team_a, allocated_hv=hv).pk for _ in range(2)]
    query = {
        "page": "",
        "listed": f"?source={hv.pk}",
        "what-if": f"?source={hv.pk}&families={moving[0]}&families={moving[1]}&to={part_timer.pk}",
    }[what]
    client.force_login(lead)
    for _ in range(2):
        make_family(by=hv, team=team_a, allocated_hv=hv)
    small = rows_for(client, URL + query)
    for _ in range(16):
        make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=400)
    large = rows_for(client, URL + query)
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries


def test_the_source_families_are_listed_a_page_at_a_time_and_choices_on_other_pages_are_kept(
    client, lead, hv, part_timer, team_a, monkeypatch
):
    from pimh.workforce import views

    monkeypatch.setattr(views, "FAMILIES_PAGE_SIZE", 2)
    families = sorted((make_family(by=hv, team=team_a, allocated_hv=hv) for _ in range(5)), key=lambda f: f.reference)
    client.force_login(lead)
    first = client.get(URL, {"source": hv.pk, "families": [families[4].pk]}).content.decode()
    assert first.count('name="families" type="checkbox"') == 2
    assert families[0].reference in first and families[2].reference not in first
    assert "5 families, 2 a page (page 1 of 3)" in first
    assert f'<input type="hidden" name="families" value="{families[4].pk}">' in first  # chosen on page 3
    assert f"page=2&amp;source={hv.pk}&amp;families={families[4].pk}" in first
    last = client.get(URL, {"source": hv.pk, "families": [families[4].pk], "page": 3}).content.decode()
    assert f'id="move-{families[4].pk}" name="families" type="checkbox" value="{families[4].pk}" checked' in last
    assert 'type="hidden" name="families"' not in last


def test_what_if_figures_are_the_pure_move_of_the_same_families(client, lead, hv, part_timer, team_a):
    from pimh.workforce.caseload import Caseload, FamilyLoad, load_weights, move, summarise

    weights = load_weights()
    kept = make_family(by=hv, team=team_a, allocated_hv=hv)
    moving = [make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=d) for d in (30, 6 * 366)]
    with_part_timer = make_family(by=hv, team=team_a, allocated_hv=part_timer)
    Family.objects.filter(pk=moving[0].pk).update(imd_decile=1, safeguarding="cp")

    def load(family, children):
        f = Family.objects.get(pk=family.pk)
        return FamilyLoad(f.pk, f.reference, f.service_level, f.safeguarding, f.imd_decile, children, False, False)

    pure = move(
        [
            Caseload(hv.pk, "H", 1.0, (load(kept, 1), load(moving[0], 1), load(moving[1], 0))),
            Caseload(part_timer.pk, "P", 0.01, (load(with_part_timer, 1),)),
        ],
        [f.pk for f in moving],
        to=part_timer.pk,
    )
    expected = [summarise(c, weights) for c in pure]
    client.force_login(lead)
    page = client.get(URL, {"source": hv.pk, "families": [f.pk for f in moving], "to": part_timer.pk}).content.decode()
    rows = page.split('id="before-after"')[1].split("</table>")[0]
    for row in expected:
        assert f"Children after </span>{row.children}</td>" in rows
        assert f"Weighted per WTE after </span><span>{row.weighted_per_wte:.0f}" in rows
    universal = 1.0 + 0.5 * 7 / 9  # a universal child in decile 3
    assert [r.weighted_per_wte for r in expected] == pytest.approx([universal, (universal + 3.0 * 1.5) / 0.01])


def test_the_sums_are_kept_for_the_setting_and_the_page_says_when_they_were_added_up(
    client, lead, hv, team_a, settings
):
    settings.AGGREGATE_CACHE_SECONDS = 60
    make_family(by=hv, team=team_a, allocated_hv=hv)
    client.force_login(lead)
    first = client.get(URL).content.decode()
    assert "Caseloads added up at" in first and ">1</td>" in first
    make_family(by=hv, team=team_a, allocated_hv=hv)
    kept = client.get(URL).content.decode()
    settings.AGGREGATE_CACHE_SECONDS = 0
    fresh = client.get(URL).content.decode()
    row = f'data-practitioner="{hv.pk}"'
    assert "Families </span>1</td>" in kept.split(row)[1].split("</tr>")[0]
    assert "Families </span>2</td>" in fresh.split(row)[1].split("</tr>")[0]
