"""The referral letter page: an A4 PDF through WeasyPrint (see referrals/letter.py for its content)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from pimh.families.reads import audited_read
from pimh.families.scope import scope_for
from pimh.referrals.letter import latest_screens, letter_html


@login_required
@permission_required("families.view_family", raise_exception=True)
@audited_read
def referral_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral letter as an A4 PDF. Opening it is one audited read of the referral."""
    import weasyprint  # slow to import: only when a letter is asked for

    scope = scope_for(request)
    referral = scope.record(
        scope.referrals.select_related("family", "family__team", "person", "service", "created_by"), pk
    )
    if request.method != "GET":  # after the Scope: outside it, a 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    screens = latest_screens(scope.screens.filter(person_id=referral.person_id))
    pdf = weasyprint.HTML(string=letter_html(referral, screens)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
