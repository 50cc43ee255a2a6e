"""The team lead's weighted caseloads (GET only: the "what if" never saves)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from markupsafe import Markup

from pimh.families.scope import scope_for
from pimh.workforce import caseload, chart, forms, presenters

FAMILIES_PAGE_SIZE = 50  # the what-if form lists the source practitioner's families a page at a time

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
    team = presenters.team_caseloads(scope_for(request), today=timezone.localdate(), weights=weights)
    rows = team.rows()
    form = forms.MoveForm(request.GET or None, practitioners=team.practitioners, families_of=team.families_of)
    what_if = None
    if form.ready:
        moving = form.cleaned_data["families"]
        source, to = form.cleaned_data["source"], form.cleaned_data["to"]
        after = caseload.move_totals(team.totals, team.moving(source, moving), source=source, to=to)
        after_rows = team.rows(after)
        what_if = {
            "count": len(moving),
            "pairs": [(b, a) for b, a in zip(rows, after_rows, strict=True) if b.practitioner_id in {source, to}],
            "chart": _chart(
                after_rows, weights, title="Weighted caseload per WTE if the families moved", chart_id="after"
            ),
        }
    source = page = None
    picked = {int(v) for v in request.GET.getlist("families") if v.isdigit()}
    if form.source_families is not None:  # a practitioner of the team is chosen: list their families, a page at a time
        source = form.practitioners[int(request.GET["source"])]
        listed = form.source_families.values("pk", "reference", "children", "weight")
        page = Paginator(listed, FAMILIES_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workforce/caseloads.jinja",
        {
            "rows": rows,
            "weights": weights,
            "counted_at": team.counted_at,
            "keep_seconds": settings.AGGREGATE_CACHE_SECONDS,
            "chart": _chart(rows, weights, title="Weighted caseload per WTE by practitioner", chart_id="now"),
            "form": form,
            "source": source,
            "page": page,
            "picked": picked,
            "elsewhere": sorted(picked - {f["pk"] for f in page}) if page else [],
            "query": query.urlencode(),
            "what_if": what_if,
        },
    )


# ---- commissioners (analyst role): the demand model on the configured snapshot ------------------------

PAGE_DRAWS = 2_000
PAGE_SEED = 1


def _protected(count: int) -> int | str:
    from pimh.analytics.disclosure import protect

    return protect(count)


def shipped_scenarios() -> dict[str, str]:
    """The scenario files shipped with the model: file stem -> title."""
    from pimh.workforce import params

    base = params.load_parameters()
    return {path.stem: params.load_scenario(path, base).title for path in sorted(params.SCENARIOS_DIR.glob("*.toml"))}


def _commissioner_context(scenario_name: str = "") -> dict[str, object]:
    from pathlib import Path

    from django.conf import settings

    from pimh.workforce import params, report
    from pimh.workforce.snapshot import SnapshotError, build_areas, read_snapshot

    folder = settings.WORKFORCE_SNAPSHOT_DIR
    scenarios = shipped_scenarios()
    chosen = scenario_name if scenario_name in scenarios else ""
    context: dict[str, object] = {
        "folder": folder,
        "draws": PAGE_DRAWS,
        "seed": PAGE_SEED,
        "scenarios": scenarios,
        "chosen": chosen,
        "query": f"?scenario={chosen}" if chosen else "",
    }
    if not folder:
        return context
    try:
        base = params.load_parameters()
        snapshot = read_snapshot(Path(folder))
        data = build_areas(snapshot, base.in_post_roles)
        scenario = params.load_scenario(params.SCENARIOS_DIR / f"{chosen}.toml", base) if chosen else None
    except (SnapshotError, params.ParameterError) as error:
        context["problem"] = str(error)
        return context
    result = report.build(snapshot, data, base, scenario=scenario, draws=PAGE_DRAWS, seed=PAGE_SEED)
    areas = result["areas"]
    ranges = [
        chart.Range(
            a["local_authority"],
            a["wte_required"]["p05"],
            a["wte_required"]["p50"],
            a["wte_required"]["p95"],
            a["wte_in_post"],
        )
        for a in areas
    ]
    title = "WTE health visitors required (5th to 95th percentile) and in post, by area"
    return context | {
        "result": result,
        "rows": [
            {**a, "children_shown": _protected(a["children"]), "births_shown": _protected(a["births"])} for a in areas
        ],
        "chart": Markup(chart.range_chart(ranges, title=title, chart_id="areas")),  # noqa: S704 (escaped by range_chart)
    }


@login_required
@permission_required("core.view_aggregates", raise_exception=True)
def commissioner(request: HttpRequest) -> HttpResponse:
    return render(request, "workforce/commissioner.jinja", _commissioner_context(request.GET.get("scenario", "")))


@login_required
@permission_required("core.view_aggregates", raise_exception=True)
def commissioner_csv(request: HttpRequest) -> HttpResponse:
    """The page's figures as CSV, with children and births disclosure-controlled as on the page."""
    from django.http import Http404

    from pimh.workforce import report

    context = _commissioner_context(request.GET.get("scenario", ""))
    if "result" not in context:
        raise Http404("No readable snapshot is configured")
    result = dict(context["result"])  # type: ignore[call-overload]
    result["areas"] = [
        {**a, "children": _protected(a["children"]), "births": _protected(a["births"])} for a in result["areas"]
    ]
    response = HttpResponse(report.to_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="workforce-model.csv"'
    return response


@login_required
@permission_required("core.view_aggregates", raise_exception=True)
def commissioner_pdf(request: HttpRequest) -> HttpResponse:
    """The same figures as the page, disclosure-controlled, as an A4 PDF (WeasyPrint)."""
    import weasyprint
    from django.http import Http404
    from django.template.loader import render_to_string

    context = _commissioner_context(request.GET.get("scenario", ""))
    if "result" not in context:
        raise Http404("No readable snapshot is configured")
    html = render_to_string("workforce/commissioner_print.jinja", context)
    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="workforce-model.pdf"'
    return response
