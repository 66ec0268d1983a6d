"""Charts: Vega-Lite specs built with altair, rendered to SVG offline with vl-convert.

Every chart carries its own caption (what it counts, over which letters, what it leaves out) as
the Vega-Lite subtitle, so the SVG says it even when shown on its own. Text stays text in the
SVG (``<text>`` elements), so Cyrillic labels are searchable and selectable.
"""

from __future__ import annotations

import hashlib
import json
import re

import altair as alt

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # DejaVu has Cyrillic and Greek
WIDTH = 640


def _config(chart: alt.Chart, title=None, subtitle=None) -> dict:
    spec = chart.configure(font=FONT).configure_title(
        anchor="start", fontSize=14, subtitleFontSize=11, subtitleColor="#444"
    )
    spec = spec.configure_axis(labelLimit=220, labelFontSize=11, titleFontSize=11)
    spec = spec.configure_view(stroke=None)
    out = spec.to_dict()
    # the title and caption as made (a Msg keeps its template), for translating the chart:
    # the subtitle in the spec is wrapped into lines
    out["usermeta"] = {"epistola": {"title": title, "subtitle": subtitle}}
    return out


def _title(title: str, subtitle: list[str] | str | None):
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    return alt.TitleParams(text=title, subtitle=_wrap(lines))


def _wrap(lines: list[str], width: int = 100) -> list[str]:
    out = []
    for line in lines:
        words, cur = line.split(), ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        if cur:
            out.append(cur)
    return out


def bars(
    rows: list[dict],
    *,
    x: str,
    y: str,
    title: str,
    subtitle=None,
    x_title: str | None = None,
    y_title: str | None = None,
    color: str | None = None,
    horizontal: bool = False,
    x_type: str = "O",
    sort=None,
    stack: bool = True,
) -> dict:
    """A bar chart of ``y`` (a count) over ``x`` (a category); ``horizontal`` puts x on the left."""
    cat = alt.X(f"{x}:{x_type}", title=x_title or x, sort=sort)
    val = alt.Y(f"{y}:Q", title=y_title or y, stack=True if stack else None)
    if horizontal:
        cat = alt.Y(f"{x}:{x_type}", title=x_title or x, sort=sort)
        val = alt.X(f"{y}:Q", title=y_title or y, stack=True if stack else None)
    enc = {"x": val, "y": cat} if horizontal else {"x": cat, "y": val}
    tooltip = [f"{x}:{x_type}", f"{y}:Q"]
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
        tooltip.append(f"{color}:N")
        if not stack:  # side by side rather than stacked
            enc["yOffset" if horizontal else "xOffset"] = f"{color}:N"
    n = len({r.get(x) for r in rows})
    groups = len({r.get(color) for r in rows}) if (color and not stack) else 1
    size = {"width": WIDTH}
    if horizontal:
        size = {
            "width": WIDTH - 220,
            "height": max(60, n * (18 if groups == 1 else 8 * groups + 8)),
        }
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(**enc, tooltip=tooltip)
        .properties(title=_title(title, subtitle), **size)
    )
    return _config(chart, title, subtitle)


def heatmap(
    rows: list[dict],
    *,
    x: str,
    y: str,
    value: str,
    title: str,
    subtitle=None,
    x_title: str | None = None,
    y_title: str | None = None,
    x_sort=None,
    y_sort=None,
) -> dict:
    """Cells coloured by ``value``, with the number written in each (a calendar, a matrix)."""
    xs = x_sort or _unique(r.get(x) for r in rows)
    ys = y_sort or _unique(r.get(y) for r in rows)
    nx, ny = len(xs) or 1, len(ys) or 1
    cell = max(14, min(40, (WIDTH - 220) // nx))
    # empty cells stay white: only non-zero values are drawn, on axes that list every category
    base = (
        alt.Chart(alt.Data(values=rows))
        .transform_filter(f"datum['{value}'] > 0")
        .encode(
            x=alt.X(f"{x}:O", title=x_title or x, sort=xs, scale=alt.Scale(domain=xs)),
            y=alt.Y(f"{y}:O", title=y_title or y, sort=ys, scale=alt.Scale(domain=ys)),
        )
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", title=value, scale=alt.Scale(scheme="blues", domainMin=0)),
        tooltip=[f"{x}:O", f"{y}:O", f"{value}:Q"],
    )
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text(f"{value}:Q"),
        color=alt.condition(
            f"datum['{value}'] > {_max(rows, value) / 2}", alt.value("white"), alt.value("#111")
        ),
    )
    chart = (rect + text).properties(
        title=_title(title, subtitle), width=cell * nx, height=max(14, min(28, cell)) * ny
    )
    return _config(chart, title, subtitle)


def points(
    rows: list[dict],
    *,
    x: str,
    y: str,
    title: str,
    subtitle=None,
    x_title: str | None = None,
    y_title: str | None = None,
    color: str | None = None,
    log: bool = False,
    rule_at: float | None = None,
) -> dict:
    """A dot plot of a measure ``x`` per category ``y`` (e.g. ratios per commodity)."""
    scale = alt.Scale(zero=False)
    xs = [r[x] for r in rows if r.get(x)]
    if log and xs:
        lo, hi = min(xs + [rule_at or min(xs)]), max(xs + [rule_at or max(xs)])
        scale = alt.Scale(type="log", domain=[lo / 1.15, hi * 1.15], nice=False)
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title or x, scale=scale),
        "y": alt.Y(f"{y}:N", title=y_title or y),
        "tooltip": [f"{x}:Q", f"{y}:N"] + ([f"{color}:N"] if color else []),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    n = len({r.get(y) for r in rows})
    layer = (
        alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=60, opacity=0.7).encode(**enc)
    )
    if rule_at is not None:
        rule = (
            alt.Chart(alt.Data(values=[{"at": rule_at}]))
            .mark_rule(strokeDash=[4, 3], color="#888")
            .encode(x="at:Q")
        )
        layer = rule + layer
    chart = layer.properties(
        title=_title(title, subtitle), width=WIDTH - 220, height=max(60, 28 * n)
    )
    return _config(chart, title, subtitle)


def ranges(
    rows: list[dict],
    *,
    start: str,
    end: str,
    y: str,
    title: str,
    subtitle=None,
    x_title: str = "days",
    y_title: str | None = None,
    color: str | None = None,
) -> dict:
    """Horizontal bars from ``start`` to ``end`` per row (uncertain durations)."""
    enc = {
        "x": alt.X(f"{start}:Q", title=x_title),
        "x2": alt.X2(f"{end}:Q"),
        "y": alt.Y(f"{y}:N", title=y_title or y, sort=None),
        "tooltip": [f"{y}:N", f"{start}:Q", f"{end}:Q"] + ([f"{color}:N"] if color else []),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    n = len(rows)
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(height=8)
        .encode(**enc)
        .properties(title=_title(title, subtitle), width=WIDTH - 220, height=max(60, 14 * n))
    )
    return _config(chart, title, subtitle)


def _unique(values) -> list:
    return sorted({v for v in values if v is not None}, key=lambda v: (isinstance(v, str), v))


def _max(rows, key) -> float:
    return max((r.get(key) or 0 for r in rows), default=0)


NUMBER_LOCALES = {"de": "de-DE", "ru": "ru-RU"}  # d3-format locales of the interface languages


def svg(spec: dict, lang: str = "en") -> str:
    """Render a Vega-Lite spec to an SVG document (offline), numbers written as ``lang`` does."""
    import vl_convert

    out = vl_convert.vegalite_to_svg(spec, format_locale=NUMBER_LOCALES.get(lang))
    return _stable_ids(out, spec)


_GRADIENT = re.compile(r"\bgradient_(\d+)\b")


def _stable_ids(svg_text: str, spec: dict) -> str:
    """vl-convert numbers gradients by how many it has drawn in the process (gradient_8 in one
    build, gradient_16 in another): name them after the chart instead, so a page is the same
    bytes whichever process drew it, and two charts on one page never share an id."""
    tag = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:8]
    names: dict[str, str] = {}

    def rename(m):
        return names.setdefault(m.group(1), f"gradient_{tag}_{len(names)}")

    return _GRADIENT.sub(rename, svg_text)


def png(spec: dict, scale: float = 1.0) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale)
