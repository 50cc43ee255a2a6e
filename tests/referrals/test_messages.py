"""The family's message thread: services, scoping and the page (HV, specialist and team lead)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pimh.core.immutable import AppendOnlyError
from pimh.core.models import AuditEvent
from pimh.referrals import services
from pimh.referrals.models import RecordMessage
from tests.conftest import make_family


@pytest.fixture
def family(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv)


def test_a_message_keeps_its_author_role_time_kind_and_text(hv, family):
    message = services.post_message(by=hv, family=family, text="  Mum low today.\nPlease call.  ", kind="consultation")
    stored = RecordMessage.objects.get()
    assert (stored.pk, stored.author, stored.author_role, stored.kind) == (message.pk, hv, "hv", "consultation")
    assert stored.text == "Mum low today.\nPlease call."
    assert stored.at is not None


def test_posting_is_audited_without_the_text(hv, family):
    message = services.post_message(by=hv, family=family, text="Mum low today")
    event = AuditEvent.objects.get(action="create", object_type="referrals.RecordMessage")
    assert (event.user, event.family_id, event.object_id, event.detail) == (
        hv,
        family.pk,
        str(message.pk),
        {"kind": "message"},
    )


@pytest.mark.parametrize(
    ("text", "kind", "error"),
    [
        ("   ", "message", "Enter the message"),
        ("Hello", "gossip", "Choose a message or a consultation note"),
        ("x" * 4001, "message", "The message must be 4,000 characters or fewer (it has 4,001)"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(hv, family, text, kind, error):
    with pytest.raises(ValidationError, match=error.replace("(", r"\(").replace(")", r"\)")):
        services.post_message(by=hv, family=family, text=text, kind=kind)
    assert not RecordMessage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="referrals.RecordMessage").exists()


def test_an_analyst_cannot_post(analyst, family):
    with pytest.raises(ValidationError, match="Only health visitors"):
        services.post_message(by=analyst, family=family, text="Hello")


def test_messages_are_append_only(hv, family):
    message = services.post_message(by=hv, family=family, text="First")
    message.text = "Changed"
    with pytest.raises(AppendOnlyError):
        message.save()
    with pytest.raises(AppendOnlyError):
        message.delete()
    assert RecordMessage.objects.get().text == "First"


# ---- the page --------------------------------------------------------------------------------


def test_the_hv_posts_and_the_specialist_and_lead_read_it_with_line_breaks_escaped(
    client, hv, specialist, lead, family
):
    client.force_login(hv)
    page = client.get(f"/families/{family.pk}/messages/")
    assert page.status_code == 200
    assert "No messages yet" in page.content.decode()
    posted = client.post(f"/families/{family.pk}/messages/", {"kind": "message", "text": "Mum <b>low</b>\nplease call"})
    assert posted.status_code == 302
    assert RecordMessage.objects.get().text == "Mum <b>low</b>\nplease call"

    for reader in (specialist, lead):
        client.force_login(reader)
        html = client.get(f"/families/{family.pk}/messages/").content.decode()
        assert "Mum &lt;b&gt;low&lt;/b&gt;\nplease call" in html
        assert "<b>low</b>" not in html
        assert f"Message from {hv.display_name}" in html
        assert "Health visitor," in html
    reads = AuditEvent.objects.filter(action="read", family_id=family.pk, object_type="families.Family")
    assert set(reads.values_list("user__username", flat=True)) >= {hv.username, specialist.username, lead.username}


def test_the_specialist_replies_with_a_consultation_note(client, hv, specialist, family):
    services.post_message(by=hv, family=family, text="Could you advise?")
    client.force_login(specialist)
    response = client.post(
        f"/families/{family.pk}/messages/", {"kind": "consultation", "text": "Discussed: joint visit next week"}
    )
    assert response.status_code == 302
    reply = RecordMessage.objects.order_by("at", "pk").last()
    assert (reply.author, reply.author_role, reply.kind) == (specialist, "sphv", "consultation")
    html = client.get(f"/families/{family.pk}/messages/").content.decode()
    assert html.index("Could you advise?") < html.index("Discussed: joint visit next week")
    assert "Consultation note from" in html


def test_an_empty_message_is_shown_again_with_the_error_summary(client, hv, family):
    client.force_login(hv)
    response = client.post(f"/families/{family.pk}/messages/", {"kind": "message", "text": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter the message" in html
    assert not RecordMessage.objects.exists()


def test_a_health_visitor_of_another_team_can_neither_read_nor_post(client, hv, colleague_b, family):
    services.post_message(by=hv, family=family, text="Private to team A")
    client.force_login(colleague_b)
    assert client.get(f"/families/{family.pk}/messages/").status_code == 404
    assert client.post(f"/families/{family.pk}/messages/", {"kind": "message", "text": "Hi"}).status_code == 404
    assert RecordMessage.objects.count() == 1
    assert not AuditEvent.objects.filter(user=colleague_b).exclude(action="login").exists()


def test_the_family_record_links_to_the_thread_with_the_latest_author(client, hv, specialist, family):
    services.post_message(by=specialist, family=family, text="Seen at clinic")
    client.force_login(hv)
    html = client.get(f"/families/{family.pk}/").content.decode()
    assert f"/families/{family.pk}/messages/" in html
    assert f"1 message; the latest from {specialist.display_name}" in html
    assert "Seen at clinic" not in html
