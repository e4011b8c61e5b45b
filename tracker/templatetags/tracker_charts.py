"""Small trend charts drawn by the server as inline SVG: no JavaScript, nothing from a CDN."""

from __future__ import annotations

from django import template

from tracker.models import StatisticalTable

register = template.Library()

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 12, 24
MAX_SERIES = 6
YEAR_LABEL_WIDTH = 30
# Each at least 3:1 against white; every series also has its own dash pattern and its name in the
# legend, so colour is never the only way to tell them apart.
COLOURS = ["#0b5fa5", "#b3400a", "#1b7340", "#8a3a78", "#3d3d3d", "#7a5a00"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 3", "10 4"]


def _point(x: float, y: float) -> str:
    # Formatted here, not in the template, so that French number formatting never reaches SVG.
    return f"{x:.1f},{y:.1f}"


def _spaced(years: list[int], x) -> list[int]:
    """The years to label on the axis: the first, the last, and those between with room."""
    labelled = [years[0]]
    for year in years[1:]:
        if x(year) - x(labelled[-1]) >= YEAR_LABEL_WIDTH:
            labelled.append(year)
    if labelled[-1] != years[-1]:
        labelled[-1:] = [years[-1]] if len(labelled) > 1 else [years[0], years[-1]]
    return labelled


@register.inclusion_tag("tracker/includes/trend_chart.html")
def trend_chart(table: StatisticalTable) -> dict:
    """A line chart of a statistical table's figures over the years, or nothing if it has none."""
    trend = table.trend()
    if trend is None:
        return {"chart": None}
    shown = trend.series[:MAX_SERIES]
    values = [value for _name, series in shown for value in series if value is not None]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    first, last = trend.years[0], trend.years[-1]

    def x(year: int) -> float:
        return LEFT + (year - first) / (last - first) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    series = []
    for index, (name, figures) in enumerate(shown):
        points = [(year, value) for year, value in zip(trend.years, figures) if value is not None]
        # A missing figure breaks the line rather than joining its neighbours.
        segments: list[list[str]] = [[]]
        for year, value in zip(trend.years, figures):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(_point(x(year), y(value)))
        series.append(
            {
                "name": name or str(table),
                "colour": COLOURS[index],
                "dash": DASHES[index],
                "lines": [" ".join(s) for s in segments if len(s) > 1],
                "markers": [
                    {"x": f"{x(year):.1f}", "y": f"{y(value):.1f}"} for year, value in points
                ],
                "first": points[0],
                "last": points[-1],
            }
        )
    return {
        "chart": {
            "id": f"chart-{table.pk}",
            "caption": str(table),
            "width": WIDTH,
            "height": HEIGHT,
            "series": series,
            "hidden_series": len(trend.series) - len(shown),
            "total_series": len(trend.series),
            "years": [{"year": year, "x": f"{x(year):.1f}"} for year in _spaced(trend.years, x)],
            "axis": {
                "left": LEFT,
                "right": WIDTH - RIGHT,
                "top": TOP,
                "bottom": HEIGHT - BOTTOM,
                "label_x": LEFT - 4,
                "label_y": HEIGHT - 6,
            },
            "high": high,
            "low": low,
            "high_y": f"{TOP + 4:.1f}",
            "low_y": f"{HEIGHT - BOTTOM:.1f}",
        }
    }
