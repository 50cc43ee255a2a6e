"""Aggregate pages for analysts and team leads: never an identifiable record.

The indicator pages read only the pseudonymised snapshot of the live database (services.py), rebuilt
on demand; no view here queries an identifiable table. Who sees what: dashboard.py's docstring.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from markupsafe import Markup

from pimh.analytics import dashboard, output, services
from pimh.analytics.overview import children_by_team_and_level
from pimh.core.models import Role

aggregates = permission_required("core.view_aggregates", raise_exception=True)
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@login_required
@aggregates
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/overview.jinja", {"table": children_by_team_and_level()})


def _own_teams(request: HttpRequest) -> tuple[str, ...] | None:
    """None for an analyst (every team, disclosure-controlled); a team lead's own team ids."""
    user: Any = request.user
    if user.role == Role.TEAM_LEAD:
        return tuple(str(pk) for pk in user.teams.order_by("pk").values_list("pk", flat=True))
    return None


def _choices(request: HttpRequest, manifest: dict[str, Any]) -> tuple[dashboard.View, list[str], list[str]]:
    """The view asked for in the query string; an unknown value falls back to the default, with a message."""
    from pimh.analytics.snapshot import extract_date

    quarters = [q.label for q in dashboard.completed_quarters(extract_date(manifest))]
    own = _own_teams(request)
    asked = request.GET
    problems = []

    def pick(name: str, allowed: list[str] | tuple[str, ...], default: str) -> str:
        value = asked.get(name, default)
        if value not in allowed:
            problems.append(f"Unknown {name.replace('_', ' ')} {value[:40]!r}: showing {default or 'the default'}")
            return default
        return value

    view = dashboard.View(
        quarter=pick("quarter", quarters, quarters[0]),
        by=pick("by", list(dashboard.BREAKDOWNS), ""),
        indicator=pick("indicator", dashboard.PROPORTIONS, dashboard.DEFAULT_INDICATOR),
        unit=pick("unit", list(dashboard.FUNNEL_UNITS), "team"),
        preset=dashboard.LEAD_PRESET if own is not None else pick("disclosure", dashboard.ANALYST_PRESETS, "nhsd-2018"),
        own_teams=own,
    )
    return view, quarters, problems


def _query(view: dashboard.View) -> str:
    from urllib.parse import urlencode

    fields = {"quarter": view.quarter, "by": view.by, "indicator": view.indicator, "unit": view.unit}
    if view.own_teams is None:
        fields["disclosure"] = view.preset
    return urlencode(fields)


def _context(request: HttpRequest) -> dict[str, Any]:
    manifest = services.live_manifest()
    context: dict[str, Any] = {
        "manifest": manifest, "breakdowns": dashboard.BREAKDOWNS, "units": dashboard.FUNNEL_UNITS,
        "presets": dashboard.ANALYST_PRESETS, "is_lead": _own_teams(request) is not None,
    }  # fmt: skip
    if manifest is None:
        return context
    view, quarters, problems = _choices(request, manifest)
    data = dashboard.cached(services.live_folder(), view)
    charts = {name: Markup(svg) for name, svg in data.get("charts", {}).items()}  # noqa: S704 (charts.inline: vl-convert SVG, every text escaped by it)
    context |= {
        "view": view, "quarters": quarters, "problems": problems, "data": data, "charts": charts,
        "built_at": services.built_at(manifest), "query": _query(view),
        "indicators": [d for d in data["definitions"] if d["code"] in dashboard.PROPORTIONS],
    }  # fmt: skip
    return context


@login_required
@aggregates
def indicators(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/indicators.jinja", _context(request))


@login_required
@aggregates
@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from pimh.analytics.export import ExportError

    try:
        services.rebuild_snapshot(by=request.user)  # type: ignore[arg-type]
    except ExportError as error:
        messages.error(request, f"The snapshot was not rebuilt: {error}")
    else:
        messages.success(request, "Snapshot rebuilt from the live database.")
    return redirect("indicators")


@login_required
@aggregates
def download(request: HttpRequest, form: str) -> HttpResponse:
    if form not in DOWNLOADS:
        raise Http404("Unknown format")
    context = _context(request)
    if context["manifest"] is None:
        raise Http404("No snapshot yet: build it from the indicators page")
    data, view = context["data"], context["view"]
    if form == "pdf":
        import weasyprint

        html = render_to_string("analytics/indicators_print.jinja", context)
        content: str | bytes = weasyprint.HTML(string=html).write_pdf()
    else:
        pack = {**data["about"], "disclosure": data["disclosure"], "indicators": data["table"],
                "disclosure_applies_to": data["disclosure_applies_to"]}  # fmt: skip
        content = output.render(pack, form)
    response = HttpResponse(content, content_type=DOWNLOADS[form])
    response["Content-Disposition"] = f'attachment; filename="indicators-{view.quarter}.{form}"'
    return response
