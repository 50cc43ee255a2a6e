"""History tables are append-only: in Python on both databases, and by a trigger in PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core import serializers
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from pimh.contacts.models import Task, TaskEvent
from pimh.core import audit
from pimh.core.immutable import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from pimh.core.models import AuditAction, AuditEvent, BreakGlassAccess
from pimh.families.models import LifeEvent, ServiceLevelChange
from pimh.referrals.models import RecordMessage, ReferralEvent
from tests.conftest import USE_POSTGRES

HISTORY_MODELS = {AuditEvent, BreakGlassAccess, ServiceLevelChange, TaskEvent, ReferralEvent, LifeEvent, RecordMessage}
PROJECT_MODELS = [m for m in apps.get_models() if m.__module__.startswith("pimh.")]


def test_the_project_has_models_to_check():
    assert len(PROJECT_MODELS) >= 20


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_every_model_declares_whether_it_is_append_only(model):
    declared = next((vars(k)["append_only"] for k in model.__mro__ if "append_only" in vars(k)), None)
    assert declared is not None, f"{model._meta.label} must set append_only = True or False"
    assert isinstance(declared, bool)
    assert declared == issubclass(model, AppendOnlyModel)
    assert declared == (model in HISTORY_MODELS)


@pytest.mark.parametrize("model", sorted(HISTORY_MODELS, key=str), ids=lambda m: m._meta.label)
def test_history_models_use_the_append_only_managers_including_the_base_manager(model):
    assert isinstance(model.objects.all(), AppendOnlyQuerySet)
    assert isinstance(model._base_manager.all(), AppendOnlyQuerySet)
    assert isinstance(model._default_manager.all(), AppendOnlyQuerySet)
    assert [t.name for t in model._meta.triggers] == ["append_only"]


@pytest.fixture
def event(hv, family_a):
    return audit.record(by=hv, action=AuditAction.READ, obj=family_a, family_id=family_a.pk)


def test_a_new_row_can_be_added(event):
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_stored_row_cannot_be_saved_again(event):
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError, match=r"core\.AuditEvent rows are append-only"):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_a_row_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("manager", ["objects", "_base_manager", "_default_manager"])
def test_managers_refuse_update_delete_and_bulk_update(event, manager):
    rows = getattr(AuditEvent, manager).filter(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        rows.update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        rows.delete()
    with pytest.raises(AppendOnlyError):
        getattr(AuditEvent, manager).bulk_update([event], ["reason"])
    with pytest.raises(AppendOnlyError):
        rows.update_or_create(pk=event.pk, defaults={"reason": "tampered"})
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_a_plain_queryset_cannot_delete_through_signals(event):
    # QuerySet(model=...) bypasses the manager: the pre_delete signal still refuses.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        QuerySet(model=AuditEvent).filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_cascade_from_a_parent_row_is_refused(hv, family_a):
    task = Task.objects.filter(family=family_a).first()
    assert TaskEvent.objects.filter(task=task).exists()
    with pytest.raises(AppendOnlyError, match=r"contacts\.TaskEvent"), transaction.atomic():
        Task.objects.filter(pk=task.pk).delete()
    assert Task.objects.filter(pk=task.pk).exists()


def test_loading_a_fixture_over_a_stored_row_is_refused(event):
    data = serializers.serialize("json", [event])
    changed = data.replace('"reason": ""', '"reason": "tampered"')
    (restored,) = serializers.deserialize("json", changed)
    with pytest.raises(AppendOnlyError):
        restored.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_break_glass_and_service_level_history_are_append_only(hv, colleague_b, family_a):
    access = BreakGlassAccess.objects.create(
        user=colleague_b, family=family_a, reason="Out of hours", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    access.expires_at = timezone.now() + dt.timedelta(days=30)
    with pytest.raises(AppendOnlyError):
        access.save()
    change = ServiceLevelChange.objects.filter(family=family_a).first()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        family_a.service_level_history.update(level="targeted")


# ---- PostgreSQL: the trigger stops raw SQL too ------------------------------------------

needs_postgres = pytest.mark.skipif(
    not USE_POSTGRES, reason="the trigger is PostgreSQL's; the Python guard above runs on both"
)


@needs_postgres
@pytest.mark.parametrize("model", sorted(HISTORY_MODELS, key=str), ids=lambda m: m._meta.label)
def test_postgres_trigger_rejects_raw_update_and_delete(model, hv, family_a, colleague_b):
    from pimh.referrals import services as referrals
    from pimh.referrals.models import Service

    service = Service.objects.create(name="Parent-infant team", kind="parent_infant_team", sees="dyad")
    infant = family_a.people.get(role="infant")
    referrals.create_referral(
        by=hv,
        family=family_a,
        person=infant,
        service=service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
    referrals.post_message(by=hv, family=family_a, text="Seen today")
    BreakGlassAccess.objects.create(
        user=colleague_b, family=family_a, reason="Out of hours", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    from pimh.families import life_events

    life_events.record_death(by=hv, person=infant, on=timezone.localdate())
    table = model._meta.db_table
    assert model.objects.exists(), table
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):  # noqa: S608 - table names from models
        with pytest.raises(DatabaseError, match="append_only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert model.objects.exists()


@needs_postgres
def test_postgres_trigger_allows_inserts(hv):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, reason, detail) "
            "VALUES (now(), 'read', 'test', '', '', '{}')"
        )
    assert AuditEvent.objects.filter(object_type="test").count() == 1
