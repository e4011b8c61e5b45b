import re

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.helpers import make_cycle
from tracker.models import Document, ReplySection, StatisticalTable

pytestmark = pytest.mark.django_db


def row(label: str, *values: float | None) -> dict:
    cells = ["–" if value is None else f"{value:g}" for value in values]
    return {"label": label, "cells": cells, "values": list(values)}


def make_table(
    columns: list[str], rows: list[dict], caption: str = "Enfants vivant en institution"
) -> StatisticalTable:
    replies = Document.objects.create(cycle=make_cycle(), kind=Document.Kind.REPLIES)
    section = ReplySection.objects.create(document=replies, order=1, heading="Réponse")
    return StatisticalTable.objects.create(
        section=section, caption=caption, columns=columns, rows=rows
    )


def chart(table: StatisticalTable) -> str:
    return Template("{% load tracker_charts %}{% trend_chart table %}").render(
        Context({"table": table})
    )


def test_years_down_the_first_column_give_one_series_per_column():
    table = make_table(
        ["Année", "Garçons", "Filles"],
        [row("2023", 58, 64), row("2024", 58, 49), row("2025", 47, 53)],
    )
    trend = table.trend()
    assert trend.years == [2023, 2024, 2025]
    assert trend.series == [("Garçons", [58, 58, 47]), ("Filles", [64, 49, 53])]


def test_years_across_the_header_give_one_series_per_row():
    table = make_table(
        ["No Indicateur", "2023", "2024", "2025"],
        [row("1 Nombre total de condamnés", 49, 65, 61), row("2 Âge", None, None, None)],
    )
    trend = table.trend()
    assert trend.years == [2023, 2024, 2025]
    # A heading row with no figures is not a series.
    assert trend.series == [("1 Nombre total de condamnés", [49, 65, 61])]


def test_a_table_without_years_has_no_trend():
    table = make_table(["Âge", "Total"], [row("15 ans", 2), row("16 ans", 2), row("17 ans", 1)])
    assert table.trend() is None
    assert chart(table).strip() == ""


def test_a_series_with_one_figure_shows_no_trend():
    table = make_table(
        ["Année", "Mariages d’enfants", "Avortements"],
        [row("2023", None, 0.82), row("2024", 870, 0.71), row("2025", None, 0.62)],
    )
    assert [name for name, _values in table.trend().series] == ["Avortements"]


def test_the_chart_is_an_inline_svg_with_a_title():
    table = make_table(
        ["Année", "Total"], [row("2022", 1398), row("2023", 1537), row("2024", 1580)]
    )
    svg = chart(table)
    assert '<svg class="trend-chart-svg"' in svg and 'role="img"' in svg
    assert "<title" in svg and "Trend: Enfants vivant en institution" in svg
    # The description gives the figures to those who cannot see the line.
    assert "1,398 (2022) → 1,580 (2024)" in svg
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_a_missing_figure_breaks_the_line():
    table = make_table(
        ["Année", "Total"],
        [row("2021", 5), row("2022", 6), row("2023", None), row("2024", 7), row("2025", 8)],
    )
    assert chart(table).count("<polyline") == 2


def test_coordinates_stay_numbers_in_french():
    table = make_table(
        ["Année", "Total"], [row("2022", 1398.5), row("2023", 1537), row("2024", 1580)]
    )
    with translation.override("fr"):
        svg = chart(table)
    for points in re.findall(r'points="([^"]+)"', svg):
        assert all(re.fullmatch(r"\d+\.\d,\d+\.\d", point) for point in points.split())
    # The labels, though, follow French number formatting.
    assert "1\xa0580" in svg


def test_the_header_row_has_a_cell_for_the_row_labels():
    table = make_table(["2023", "2024"], [row("Total", 1, 2)])
    assert table.header_row == ["", "2023", "2024"]
