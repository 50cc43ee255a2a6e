"""The team lead's weighted caseloads (GET only: the "what if" never saves)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from markupsafe import Markup

from pimh.workforce import caseload, chart, forms, presenters

team_lead = permission_required("core.view_break_glass_log", raise_exception=True)


def _chart(rows: list[caseload.CaseloadRow], weights: caseload.Weights, *, title: str, chart_id: str) -> Markup:
    per_wte = weights["benchmarks.children_per_wte"]
    bars = [chart.Bar(r.name, r.weighted_per_wte, r.children_per_wte, r.over) for r in rows]
    svg = chart.caseload_chart(
        bars, benchmark=per_wte, benchmark_label=f"1:{per_wte:.0f}", title=title, chart_id=chart_id
    )
    return Markup(svg)  # noqa: S704 (built by chart.caseload_chart, which escapes every text)


@login_required
@team_lead
def caseload_weights(request: HttpRequest) -> HttpResponse:
    weights = caseload.load_weights()
    caseloads = presenters.team_caseloads(request.user, today=timezone.localdate(), weights=weights)  # type: ignore[arg-type]
    rows = [caseload.summarise(c, weights) for c in caseloads]
    form = forms.MoveForm(request.GET or None, caseloads=caseloads)
    what_if = None
    if form.ready:
        moving = form.cleaned_data["families"]
        after = caseload.move(caseloads, moving, form.cleaned_data["to"])
        after_rows = [caseload.summarise(c, weights) for c in after]
        affected = {form.cleaned_data["source"], form.cleaned_data["to"]}
        what_if = {
            "count": len(moving),
            "pairs": [(b, a) for b, a in zip(rows, after_rows, strict=True) if b.practitioner_id in affected],
            "chart": _chart(
                after_rows, weights, title="Weighted caseload per WTE if the families moved", chart_id="after"
            ),
        }
    source = form.caseloads.get(form.cleaned_data.get("source")) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "workforce/caseloads.jinja",
        {
            "rows": rows,
            "weights": weights,
            "chart": _chart(rows, weights, title="Weighted caseload per WTE by practitioner", chart_id="now"),
            "form": form,
            "source": source,
            "family_weights": {f.family_id: f.weight(weights) for c in caseloads for f in c.families},
            "what_if": what_if,
        },
    )
