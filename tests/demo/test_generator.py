"""The synthetic population (pure, no database) and the demo loader (database)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db.models import F
from nhs_number import is_valid

from pimh.core.models import AuditEvent, Role, User
from pimh.demo import DEMO_PASSWORD, ROLE_LABELS, STAFF, TEAM_NAMES, demo_logins, team_shares
from pimh.demo.generator import MAX_CHILDREN, Population, generate, nhs_numbers
from pimh.demo.loader import DemoError, load_demo
from pimh.families.models import (
    EthnicCategory,
    Family,
    Person,
    PersonRole,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
    RelationshipKind,
    Safeguarding,
    ServiceLevel,
    ServiceLevelChange,
    Sex,
)

TODAY = dt.date(2026, 3, 1)
SIZE = 20_000


@pytest.fixture(scope="module")
def pop() -> Population:
    return generate(seed=11, children=SIZE, today=TODAY)


def share(mask: np.ndarray) -> float:
    return float(np.mean(mask))


def dates(column: np.ndarray) -> list[dt.date]:
    return column.tolist()


def whole_years(born: list[dt.date], on: list[dt.date]) -> np.ndarray:
    return np.array([o.year - b.year - ((o.month, o.day) < (b.month, b.day)) for b, o in zip(born, on, strict=True)])


def mother_of_family(pop: Population) -> np.ndarray:
    people = pop.people
    mothers = np.flatnonzero(people["role"] == "birthing_parent")
    index = np.full(pop.count("families"), -1)
    index[people["family"][mothers]] = mothers
    return index


# ---- reproducibility -----------------------------------------------------------------


def as_lists(pop: Population) -> dict[str, dict[str, list]]:
    return {name: {col: values.tolist() for col, values in getattr(pop, name).items()} for name in pop.TABLES}


def test_same_seed_and_day_give_identical_population():
    assert as_lists(generate(seed=5, children=3000, today=TODAY)) == as_lists(
        generate(seed=5, children=3000, today=TODAY)
    )


def test_a_different_seed_gives_a_different_population():
    one, two = generate(seed=5, children=3000, today=TODAY), generate(seed=6, children=3000, today=TODAY)
    assert one.people["nhs_number"].tolist() != two.people["nhs_number"].tolist()
    assert one.people["date_of_birth"].tolist() != two.people["date_of_birth"].tolist()


@pytest.mark.parametrize("children", [0, -1, MAX_CHILDREN + 1])
def test_refuses_an_impossible_number_of_children(children):
    with pytest.raises(ValueError, match="children must be"):
        generate(children=children, today=TODAY)


def test_generates_a_single_child():
    assert generate(seed=1, children=1, today=TODAY).count("people") >= 2


# ---- shape -----------------------------------------------------------------------------


def test_exactly_the_children_asked_for(pop):
    assert int(np.sum(pop.people["role"] == "infant")) == SIZE
    assert int(pop.families["children"].sum()) == SIZE


def test_codes_are_the_models_choices(pop):
    people, families = pop.people, pop.families
    assert set(people["role"].tolist()) <= set(PersonRole.values)
    assert set(people["sex"].tolist()) <= {Sex.FEMALE, Sex.MALE}
    assert set(people["ethnic_category"].tolist()) == set(EthnicCategory.values)
    assert set(families["service_level"].tolist()) == set(ServiceLevel.values) - {ServiceLevel.COMMUNITY}
    assert set(families["safeguarding"].tolist()) == set(Safeguarding.values)
    assert set(pop.relationships["kind"].tolist()) <= set(RelationshipKind.values)
    assert set(pop.pregnancies["outcome"].tolist()) == set(PregnancyOutcome.values)


def test_references_and_codes_are_well_formed(pop):
    families = pop.families
    assert len(set(families["reference"].tolist())) == pop.count("families")
    assert all(ref.startswith("D") and len(ref) == 8 and ref[1:].isdigit() for ref in families["reference"].tolist())
    assert all(code.startswith("E01") and len(code) == 9 for code in families["lsoa_code"].tolist())
    assert set(families["local_authority_code"].tolist()) == {"E08000901", "E08000902"}
    assert set(families["imd_decile"].tolist()) == set(range(1, 11))


def test_every_family_has_one_birthing_parent_and_children_or_a_pregnancy(pop):
    people = pop.people
    mothers = people["role"] == "birthing_parent"
    assert np.array_equal(
        np.bincount(people["family"][mothers], minlength=pop.count("families")),
        np.ones(pop.count("families"), dtype=np.int64),
    )
    assert set(people["sex"][mothers].tolist()) == {"F"}
    childless = np.flatnonzero(pop.families["children"] == 0)
    ongoing = pop.pregnancies["family"][pop.pregnancies["outcome"] == "ongoing"]
    assert set(childless.tolist()) <= set(ongoing.tolist())
    assert pop.families["children"].max() == 3


def test_relationships_link_each_adult_to_each_child_of_the_family(pop):
    people, rel = pop.people, pop.relationships
    adults = np.bincount(people["family"][people["role"] != "infant"], minlength=pop.count("families"))
    assert rel["adult"].size == int(np.sum(adults * pop.families["children"]))
    assert np.array_equal(people["family"][rel["adult"]], people["family"][rel["child"]])
    assert set(people["role"][rel["child"]].tolist()) == {"infant"}
    assert len(set(zip(rel["adult"].tolist(), rel["child"].tolist(), strict=True))) == rel["adult"].size
    mother_links = rel["kind"] == "birth_mother"
    assert set(people["role"][rel["adult"][mother_links]].tolist()) == {"birthing_parent"}


# ---- NHS numbers ------------------------------------------------------------------------


def test_nhs_numbers_are_valid_unique_and_in_the_test_range(pop):
    numbers = [n for n in pop.people["nhs_number"].tolist() if n]
    assert all(is_valid(n) and n.startswith("999") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_mothers_and_children_always_have_an_nhs_number_fathers_mostly(pop):
    people = pop.people
    has = people["nhs_number"] != ""
    assert has[np.isin(people["role"], ["birthing_parent", "infant"])].all()
    assert share(~has[np.isin(people["role"], ["father", "partner"])]) == pytest.approx(0.15, abs=0.03)


def test_nhs_numbers_leave_the_fixture_range_alone():
    numbers = nhs_numbers(np.random.default_rng(0), 5000).astype(np.int64)
    assert numbers.min() >= 9_991_000_000


# ---- dates ---------------------------------------------------------------------------


def test_children_are_born_in_the_last_five_years(pop):
    born = pop.people["date_of_birth"][pop.people["role"] == "infant"]
    assert born.max() < np.datetime64(TODAY)
    assert born.min() > np.datetime64(TODAY.replace(year=TODAY.year - 5))
    ages = (np.datetime64(TODAY) - born).astype(int)
    assert np.histogram(ages, bins=5)[0].min() > 0.15 * SIZE  # roughly uniform over the five years


def test_siblings_are_a_year_apart_unless_twins(pop):
    people = pop.people
    children = np.flatnonzero(people["role"] == "infant")
    order = children[np.lexsort((people["date_of_birth"][children], people["family"][children]))]
    same_family = people["family"][order][1:] == people["family"][order][:-1]
    gaps = np.diff(people["date_of_birth"][order]).astype(int)[same_family]
    assert set(gaps[gaps < 365].tolist()) == {0}
    twin_families = np.unique(people["family"][order][1:][same_family][gaps == 0])
    assert twin_families.size / np.sum(pop.families["children"] > 0) == pytest.approx(0.015, abs=0.006)


def test_edds_are_within_44_weeks_and_ongoing_ones_in_the_next_40(pop):
    preg = pop.pregnancies
    latest = np.datetime64(TODAY + dt.timedelta(weeks=44))
    assert preg["edd"].max() <= latest
    ongoing = preg["outcome"] == "ongoing"
    assert preg["edd"][ongoing].min() > np.datetime64(TODAY)
    assert preg["edd"][ongoing].max() <= np.datetime64(TODAY + dt.timedelta(weeks=40))
    assert np.isnat(preg["outcome_date"][ongoing]).all()
    assert (preg["outcome_date"][~ongoing] < np.datetime64(TODAY)).all()


def test_each_infant_under_one_has_its_live_birth_recorded(pop):
    people, preg = pop.people, pop.pregnancies
    infants = people["role"] == "infant"
    under_one = infants & (people["date_of_birth"] > np.datetime64(TODAY) - 365)
    linked = people["pregnancy"][under_one]
    assert (linked >= 0).all()
    assert (people["pregnancy"][infants & ~under_one] == -1).all()
    assert set(preg["outcome"][linked].tolist()) == {"live_birth"}
    assert np.array_equal(preg["outcome_date"][linked], people["date_of_birth"][under_one])
    assert np.abs((preg["edd"][linked] - people["date_of_birth"][under_one]).astype(int)).max() <= 21
    assert np.array_equal(preg["family"][linked], people["family"][under_one])


def test_mothers_are_18_to_45_at_each_birth_and_due_date(pop):
    people, preg = pop.people, pop.pregnancies
    mother = mother_of_family(pop)
    children = np.flatnonzero(people["role"] == "infant")
    at_birth = whole_years(
        dates(people["date_of_birth"][mother[people["family"][children]]]), dates(people["date_of_birth"][children])
    )
    ongoing = np.flatnonzero(preg["outcome"] == "ongoing")
    at_edd = whole_years(dates(people["date_of_birth"][preg["mother"][ongoing]]), dates(preg["edd"][ongoing]))
    ages = np.concatenate([at_birth, at_edd])
    assert ages.min() >= 18
    assert ages.max() <= 45
    assert np.median(at_birth) == pytest.approx(30, abs=2.5)
    assert np.array_equal(preg["mother"], mother[preg["family"]])


def test_service_level_history_ends_at_the_current_level(pop):
    changes, families = pop.service_level_changes, pop.families
    assert (changes["effective_from"] <= np.datetime64(TODAY)).all()
    order = np.lexsort((changes["effective_from"], changes["family"]))
    family = changes["family"][order]
    newest = order[np.append(family[1:] != family[:-1], True)]
    assert np.array_equal(changes["family"][newest], np.arange(pop.count("families")))
    assert np.array_equal(changes["level"][newest], families["service_level"])
    escalated = np.bincount(changes["family"], minlength=pop.count("families")) == 2
    assert set(families["service_level"][escalated].tolist()) == {"universal_plus", "partnership_plus"}


# ---- proportions (domain reference sections 1 and 8) -------------------------------------


def test_service_level_mix(pop):
    level = pop.families["service_level"]
    assert share(level == "universal") == pytest.approx(0.91, abs=0.02)
    assert share(level == "universal_plus") == pytest.approx(0.06, abs=0.02)
    assert share(level == "partnership_plus") == pytest.approx(0.03, abs=0.02)


def test_more_additional_need_in_deprived_areas(pop):
    families = pop.families
    deprived, affluent = families["imd_decile"] <= 3, families["imd_decile"] >= 8
    assert share(deprived) > 2 * share(affluent)
    extra = families["service_level"] != "universal"
    assert share(extra[deprived]) > 1.5 * share(extra[affluent])


def test_safeguarding_mix_is_skewed_to_partnership_plus(pop):
    families = pop.families
    assert share(families["safeguarding"] == "cin") == pytest.approx(0.03, abs=0.01)
    assert share(families["safeguarding"] == "cp") == pytest.approx(0.01, abs=0.005)
    assert share(families["service_level"][families["safeguarding"] == "cp"] == "partnership_plus") > 0.6


def test_fathers_and_partners(pop):
    people = pop.people
    second = np.isin(people["role"], ["father", "partner"])
    assert np.unique(people["family"][second]).size / pop.count("families") == pytest.approx(0.75, abs=0.05)
    assert share(people["role"][second] == "father") == pytest.approx(0.88, abs=0.03)
    assert set(people["sex"][people["role"] == "partner"].tolist()) == {"F", "M"}
    carers = np.unique(people["family"][people["role"] == "other_carer"])
    assert carers.size / pop.count("families") == pytest.approx(0.03, abs=0.01)


def test_pregnancies_and_losses(pop):
    preg, families = pop.pregnancies, pop.families
    expecting = np.unique(preg["family"][preg["outcome"] == "ongoing"]).size
    assert expecting / pop.count("families") == pytest.approx(1 / 8, abs=0.01)
    assert share(families["children"] == 0) == pytest.approx(0.05, abs=0.01)  # first pregnancy
    assert np.sum(preg["outcome"] == "loss") / pop.count("families") == pytest.approx(0.01, abs=0.003)


def test_ethnic_mix_of_children_and_families_share_it(pop):
    people = pop.people
    children = people["role"] == "infant"
    group = np.array([code[0] for code in people["ethnic_category"][children].tolist()])
    assert share(np.isin(group, list("ABC"))) == pytest.approx(0.70, abs=0.03)
    assert share(np.isin(group, list("HJKL"))) == pytest.approx(0.10, abs=0.02)
    assert share(np.isin(group, list("MNP"))) == pytest.approx(0.05, abs=0.015)
    assert share(np.isin(group, list("DEFG"))) == pytest.approx(0.05, abs=0.015)
    assert share(np.isin(group, list("RS"))) == pytest.approx(0.03, abs=0.01)
    pairs = set(zip(people["family"][children].tolist(), people["ethnic_category"][children].tolist(), strict=True))
    assert len(pairs) == int(np.sum(pop.families["children"] > 0))  # siblings share their category


def test_languages_and_interpreters(pop):
    families = pop.families
    other = families["language"] != "English"
    assert share(other) == pytest.approx(0.08, abs=0.02)
    assert share(families["interpreter_needed"][other]) == pytest.approx(0.5, abs=0.1)
    assert not families["interpreter_needed"][~other].any()
    assert {"Polish", "Urdu", "Romanian", "Bengali", "Arabic", "Punjabi"} <= set(families["language"].tolist())


def test_names_are_present_and_varied(pop):
    people = pop.people
    assert (np.strings.str_len(people["given_name"]) > 1).all()
    assert (np.strings.str_len(people["family_name"]) > 3).all()
    assert np.unique(people["family_name"]).size > 300


# ---- the demo staff -------------------------------------------------------------------------


def test_staff_roles_and_labels_match_the_model():
    assert ROLE_LABELS == dict(Role.choices)
    assert [login[0] for login in demo_logins()] == [s.username for s in STAFF]
    assert sum(team_shares()) == pytest.approx(1)
    assert len(team_shares()) == len(TEAM_NAMES)


# ---- the loader (database) -------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    models = (Family, Person, Pregnancy, Relationship, ServiceLevelChange, User, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_load_demo_creates_staff_and_population():
    summary = load_demo(seed=3, children=300)
    assert table_counts() == {
        "Family": summary.counts["families"],
        "Person": summary.counts["people"],
        "Pregnancy": summary.counts["pregnancies"],
        "Relationship": summary.counts["relationships"],
        "ServiceLevelChange": summary.counts["service_level_changes"],
        "User": len(STAFF),
        "AuditEvent": 1,
    }
    assert Person.objects.filter(role=PersonRole.INFANT).count() == 300
    assert set(User.objects.values_list("username", flat=True)) == {s.username for s in STAFF}
    hv1 = User.objects.get(username="hv1")
    assert hv1.check_password(DEMO_PASSWORD)
    assert [t.name for t in hv1.teams.all()] == [TEAM_NAMES[0]]
    assert Person.objects.filter(role=PersonRole.INFANT, family__allocated_hv=hv1).count() > 0
    assert User.objects.get(username="sphv").teams.count() == 2
    assert list(User.objects.filter(is_superuser=True, is_staff=True).values_list("username", "role")) == [
        ("admin", Role.ADMINISTRATOR)
    ]
    assert not User.objects.get(username="analyst").teams.exists()
    assert Family.objects.filter(allocated_hv__teams=F("team")).count() == summary.counts["families"]
    assert not Person.objects.filter(pregnancy__isnull=False).exclude(pregnancy__outcome="live_birth").exists()
    event = AuditEvent.objects.get()
    assert (event.object_type, event.action, event.user) == ("demo", "create", None)
    assert event.detail["seed"] == 3
    assert summary.logins == demo_logins()


@pytest.mark.django_db
def test_a_second_load_refuses_and_changes_nothing():
    load_demo(seed=3, children=100)
    before = table_counts()
    with pytest.raises(
        DemoError, match=r"^The database already holds families: the demo loads only into an empty database$"
    ):
        load_demo(seed=4, children=100)
    assert table_counts() == before


def test_contact_details_are_fake_but_well_formed(pop):
    from pimh.families.contact_details import ALERT_LABELS, ods_value, phone_value, postcode_value

    families = pop.families
    postcodes = families["postcode"].tolist()
    assert [code for code in postcodes if postcode_value(code) != code] == []
    phones = [number for number in families["phone"].tolist() if number]
    assert [n for n in phones if phone_value(n) != n or not n.startswith("07700900")] == []
    assert 0 < len(phones) < len(postcodes)
    assert {ods_value(code) for code in families["gp_practice_code"].tolist()} == {"Z90001", "Z90002"}
    assert set(families["alert"].tolist()) <= {"", *ALERT_LABELS}
    assert {"lone_worker", "animals"} <= set(families["alert"].tolist())
