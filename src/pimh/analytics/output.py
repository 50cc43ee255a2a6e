"""The indicator pack as JSON, CSV, XLSX or HTML; every format carries the disclosure stamp. Pure: no Django."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from pimh.analytics.indicators import BY_CODE, DIMENSIONS

VALUES = ("numerator", "denominator", "percent", "ci_lower", "ci_upper", "rate_per_1000", "note")


def flat_rows(pack: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    used = [name for name in DIMENSIONS if any(name in row["group"] for row in pack["indicators"])]
    header = ["quarter", "disclosure", "code", "title", *used, *VALUES]
    rows = [
        [pack["quarter"], pack["disclosure"], row["code"], BY_CODE[row["code"]].title,
         *[row["group"].get(name, "") for name in used], *[row.get(name) for name in VALUES]]
        for row in pack["indicators"]
    ]  # fmt: skip
    return header, rows


def _about(pack: dict[str, Any]) -> list[tuple[str, str]]:
    lines = [
        ("Quarter", f"{pack['quarter']} ({pack['period']['start']} to {pack['period']['end']})"),
        ("Disclosure control", f"{pack['disclosure']}: {pack['disclosure_applies_to']}"),
        ("Snapshot", json.dumps(pack["snapshot"])),
        ("Settings", json.dumps(pack["settings"])),
    ]
    lines += [(f"Not available: {code}", reason) for code, reason in pack["not_available"].items()]
    lines += [(f"Data quality: {c['check']}", f"{'passed' if c['passed'] else 'FAILED'}: {c['detail']}")
              for c in pack["data_quality"]]  # fmt: skip
    return lines


def render(pack: dict[str, Any], form: str) -> str | bytes:
    if form == "json":
        return json.dumps(pack, indent=1) + "\n"
    header, rows = flat_rows(pack)
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if value is None else value for value in row] for row in rows])
        return buffer.getvalue()
    if form == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "indicators"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        about = book.create_sheet("about")
        for line in _about(pack):
            about.append(list(line))
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()
    if form == "html":
        cells = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
        about = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in _about(pack))
        return (
            "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
            f"<title>Indicators {html.escape(pack['quarter'])}</title></head><body>"
            f"<h1>Health visiting and PIMH indicators, {html.escape(pack['quarter'])}</h1>"
            f"<p>Disclosure control: <strong>{html.escape(pack['disclosure'])}</strong></p><dl>{about}</dl>"
            f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
        )
    raise ValueError(f"unknown format {form!r}")
