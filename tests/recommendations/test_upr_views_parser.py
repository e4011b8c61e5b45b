"""The State's views on UPR recommendations (recommendations/parsing/upr_views.py)."""

from pathlib import Path

import pytest

from recommendations.parsing.upr_views import Number, parse_upr_views, parse_upr_views_text
from tracker.parsing.common import ParseError

VIEWS = Path(__file__).parent.parent / "data" / "A_HRC_28_15_Add.1_Views_of_Slovenia.pdf"

# Invented, in the layout of the cycle-3 addenda (A/HRC/43/15/Add.1): numbers with the report's
# paragraph, ranges written "122.17-18", an explanation for a range, a list split over lines.
CYCLE_3 = """A/HRC/43/15/Add.1
Distr.: General
2 March 2020
Report of the Working Group on the Universal Periodic Review
Slovenia
Addendum
Views on conclusions and/or recommendations, voluntary commitments and
replies presented by the State under review
1. Slovenia supports recommendations 122.1–122.5, 122.17-18 and
122.40.
2. Slovenia supports in part recommendation 122.20.
3. Slovenia notes recommendations 122.6 and 140.11-14.
140.11-14 The 1961 Convention on the Reduction of Statelessness was ratified on 30 January
2025.
"""


def numbers(positions) -> list[str]:
    return [str(given.number) for given in positions]


def test_the_real_addendum_gives_142_supported_and_21_noted_by_number():
    views = parse_upr_views(VIEWS)

    assert (views.symbol, views.report_symbol, views.state) == (
        "A/HRC/28/15/Add.1", "A/HRC/28/15", "Slovenia"
    )
    supported = [p for p in views.positions if p.position == "supported"]
    noted = [p for p in views.positions if p.position == "noted"]
    assert len(supported) == 142 and len(noted) == 21
    # "150 – 152" with spaces, "80–" / "93" split over two lines, all without the "115." prefix.
    assert {"150", "151", "152", "80", "93"} <= set(numbers(supported))
    assert numbers(noted)[:8] == [str(n) for n in range(6, 14)]
    assert views.warnings == []


def test_numbers_with_the_paragraph_prefix_ranges_and_lists_split_over_lines():
    views = parse_upr_views_text(CYCLE_3)

    by_position = {}
    for given in views.positions:
        by_position.setdefault(given.position, []).append(str(given.number))
    assert by_position["supported"] == [
        "122.1", "122.2", "122.3", "122.4", "122.5", "122.17", "122.18", "122.40"
    ]
    assert by_position["supported_in_part"] == ["122.20"]
    assert by_position["noted"] == ["122.6", "140.11", "140.12", "140.13", "140.14"]
    [explanation] = views.explanations
    assert explanation.numbers == [Number(140, n) for n in range(11, 15)]
    assert explanation.text.endswith("was ratified on 30 January 2025.")
    assert views.positions[-1].source == "A/HRC/43/15/Add.1 - Para. 3"


def test_a_document_that_is_not_an_addendum_is_refused():
    with pytest.raises(ParseError, match="not the State's views on a UPR report"):
        parse_upr_views_text("A/HRC/28/15\nReport of the Working Group\n1. Text.\n")
