import io
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from recommendations.importing_files import CountryLookup, import_recommendation_file
from recommendations.models import AffectedGroup, Recommendation, SourceLabel, Theme
from recommendations.parsing import UHRI_COLUMNS
from tests.helpers import make_cycle, make_recommendation
from tracker.models import Country, Document, Mechanism, ReportingCycle
from tracker.parsing.common import ParseError

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
UPR_INFO = DATA / "upr-info-export-sessions-01-05.csv"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"


def positions() -> Counter:
    return Counter(Recommendation.objects.values_list("position", flat=True))


def by_reference() -> dict[str, Recommendation]:
    return {r.reference: r for r in Recommendation.objects.all()}


def state_codes(recommendation: Recommendation) -> list[str]:
    return sorted(recommendation.recommending_states.values_list("code", flat=True))


def database_state() -> tuple:
    """What a refused import must leave exactly as it was."""
    return (
        Recommendation.objects.count(), ReportingCycle.objects.count(), Document.objects.count(),
        Theme.objects.count(), AffectedGroup.objects.count(),
    )


def copy_with(tmp_path: Path, source: Path, data: bytes) -> Path:
    path = tmp_path / source.name
    path.write_bytes(data)
    return path


# UHRI workbooks made for the tests, in the export's own layout.


def annotation_id(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"uhri/{n}"))


def generated_row(n: int) -> dict:
    """Row n of a generated UHRI export. Every fifth row is a UPR recommendation, the others the
    CRC's, in two cycles (3-4 until row 2,500, then 5-6); some rows of the later cycle repeat
    the earlier one word for word, every 500th is a concern, not a recommendation."""
    country, code = [("Kazakhstan", "KAZ"), ("Kyrgyzstan", "KGZ"), ("Côte d’Ivoire", "CIV")][n % 3]
    row = {
        "Countries Concerned": f"- {country}",
        "Themes": "- Children: definition; general principles; protection\n"
        "- Right to education - General" + ("\n- Land & property rights" if n % 100 == 0 else ""),
        "Affected Persons": "- Children",
        "Sdgs": "- 4.1 - Free, equitable and quality primary and secondary education"
        + ("\n- 99.9 - A target that does not exist" if n % 250 == 0 else ""),
        "Type": "- Concerns/Observations" if n % 500 == 0 else "- Recommendation",
        "OHCHR Annotation Id": annotation_id(n),
        "Regions Concerned": "- Asia-Pacific",
    }
    if n % 5 == 0:
        return row | {
            "Text": f"{100 + n // 1000}.{n % 1000 + 1} Adopt measure {n} (France);",
            "Reccomending Body": "- UPR",
            "Document Symbol": f"A/HRC/28/{10 + n % 3}",
            "Document Publication Date": 41990,
            "UPR Reccomending States": "- France",
            "UPR Position": "- Supported" if n % 10 == 0 else "- Noted",
            "UPR Session": "- 20",
        }
    matter = n - 3000 if n > 3000 and n % 100 == 7 else n
    label, published = ("3-4", 42034) if n <= 2500 else ("5-6", 44348)
    reminder = " as recommended previously" if n % 1000 == 1 else ""
    return row | {
        "Text": f"{n % 150 + 1}. The Committee recommends that the State party act on matter "
        f"{matter}{reminder}.",
        "Reccomending Body": "- CRC",
        "Document Symbol": f"CRC/C/{code}/CO/{label}",
        "Document Publication Date": published,
    }


def make_workbook(path: Path, rows) -> Path:
    workbook = openpyxl.Workbook(write_only=True)  # streamed, as a large export is written
    sheet = workbook.create_sheet("Export")
    sheet.append(UHRI_COLUMNS)
    for row in rows:
        sheet.append([row.get(column) for column in UHRI_COLUMNS])
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def uhri_5000(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("uhri") / "uhri-export-5000.xlsx"
    return make_workbook(path, (generated_row(n) for n in range(1, 5001)))


# Country names


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("venezuela", "VEN"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Turkiye", "TUR"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("netherlands", "NLD"),
        ("Korea, Republic of", "KOR"),
        ("Gambia (the)", "GMB"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
    ],
)
def test_country_names_are_found_in_their_common_variants(name, code):
    assert CountryLookup().get(name).code == code


def test_an_unknown_country_name_is_not_guessed():
    assert CountryLookup().get("Atlantis") is None


# UPR Info export


def test_the_upr_info_sample_gives_6094_recommendations_to_80_states():
    result = import_recommendation_file(UPR_INFO)

    assert result.format == "upr-info"  # detected
    assert Recommendation.objects.count() == 6094
    assert Recommendation.objects.values("country").distinct().count() == 80
    assert positions() == {"supported": 4087, "noted": 2007}
    assert result.created["recommendations"] == 6094
    assert result.positions == {"supported": 4087, "noted": 2007}
    # The nine rows whose recommending State UPR Info does not know are warned about, not refused.
    assert sum("recommending State is not known" in w.message for w in result.warnings) == 9
    assert set(Recommendation.objects.values_list("mechanism__code", flat=True)) == {"UPR"}
    # The reviews of sessions 1 to 5, each its own cycle of its State.
    assert set(ReportingCycle.objects.values_list("label", flat=True)) == {
        f"session {n}" for n in range(1, 6)
    }


def test_a_upr_info_row_is_stored_field_by_field():
    import_recommendation_file(UPR_INFO)

    recommendation = Recommendation.objects.get(
        country__code="AFG", recommending_states__code="AUT",
        text__startswith="Enact legislation and take effective measures to protect and promote",
    )
    assert recommendation.mechanism.code == "UPR"
    assert [state.name for state in recommendation.recommending_states.all()] == ["Austria"]
    assert recommendation.text.endswith("honour killings and access to education for all girls.")
    assert recommendation.position == Recommendation.Position.SUPPORTED
    assert recommendation.position_source == "UPR Info"
    assert recommendation.position_document is None
    assert recommendation.action_category == 5
    assert recommendation.upr_session == 5
    assert recommendation.cycle.label == "session 5"
    assert recommendation.cycle.title == "Universal Periodic Review, 5th session"
    assert recommendation.external_id.startswith("upr-info:")
    assert recommendation.reference == ""
    # UPR Info's issues are kept as the file names them and tagged with UHRI's themes.
    assert sorted(recommendation.themes.values_list("code", flat=True)) == ["F1", "F3"]
    assert sorted(recommendation.source_labels.values_list("label", flat=True)) == [
        "Rights of the Child", "Women's rights",
    ]
    assert recommendation.source == f"{UPR_INFO.name}, row 2"


def test_upr_info_issues_map_onto_uhri_themes_and_no_theme_is_created():
    themes_before = Theme.objects.count()

    result = import_recommendation_file(UPR_INFO)

    assert Recommendation.objects.filter(themes__code="D23").exists()  # "Death penalty"
    assert Recommendation.objects.filter(themes__code="F1").exists()  # "Women's rights"
    assert Theme.objects.count() == themes_before
    # The two issues no crosswalk entry maps are listed for data-entry staff.
    assert result.new_terms["themes"] == ["General", "Other"]
    assert set(SourceLabel.objects.unmapped().values_list("label", flat=True)) == {"General", "Other"}


def test_accented_names_in_the_upr_info_sample_come_out_right():
    import_recommendation_file(UPR_INFO)

    assert Recommendation.objects.filter(text__contains="Habré").count() == 2


def test_reimporting_the_upr_info_sample_changes_nothing():
    import_recommendation_file(UPR_INFO)
    before = list(Recommendation.objects.order_by("pk").values_list("pk", "updated_at"))

    result = import_recommendation_file(UPR_INFO)

    assert result.created["recommendations"] == 0
    assert result.updated["recommendations"] == 0
    assert result.unchanged["recommendations"] == 6094
    assert not result.new_terms
    assert list(Recommendation.objects.order_by("pk").values_list("pk", "updated_at")) == before


# UPR Working Group report and thematic list


def test_the_report_gives_recommendations_115_1_to_115_163():
    result = import_recommendation_file(REPORT)

    assert result.format == "upr-report"
    references = list(Recommendation.objects.order_by("order").values_list("reference", flat=True))
    assert references == [f"115.{n}" for n in range(1, 164)]
    # The report leaves the positions to its addendum.
    assert positions() == {"": 163}
    report = Document.objects.get(symbol="A/HRC/28/15")
    assert report.kind == Document.Kind.UPR_REPORT
    assert report.date == date(2014, 12, 10)
    assert result.document == report
    cycle = ReportingCycle.objects.get()
    assert (cycle.country.code, cycle.mechanism.code, cycle.label) == ("SVN", "UPR", "session 20")
    assert cycle.title == "Universal Periodic Review, 20th session"
    assert cycle.is_current
    links = Recommendation.objects.values_list("document", "cycle", "upr_session").distinct()
    assert set(links) == {(report.pk, cycle.pk, 20)}


def test_a_recommendation_of_several_states_links_each_state():
    import_recommendation_file(REPORT)

    recommendations = by_reference()
    assert state_codes(recommendations["115.8"]) == ["PER", "SEN", "SLE", "URY", "VEN"]
    assert state_codes(recommendations["115.124"]) == ["ARM", "AZE", "CRI", "UZB"]
    assert state_codes(recommendations["115.54"]) == ["CIV"]  # printed "Côte d’Ivoire"
    assert state_codes(recommendations["115.106"]) == ["BHR", "NLD"]  # printed "netherlands"


def test_the_thematic_list_gives_142_supported_and_21_noted():
    result = import_recommendation_file(LIST)

    assert result.format == "upr-matrix"
    assert Recommendation.objects.count() == 163
    assert positions() == {"supported": 142, "noted": 21}
    first = by_reference()["115.1"]
    assert first.position_source == "A/HRC/28/15/Add.1 - Para. 3"
    assert first.position_document.symbol == "A/HRC/28/15/Add.1"
    assert first.document.symbol == "A/HRC/28/15"
    assert list(first.themes.values_list("code", flat=True)) == ["A12"]
    assert list(first.affected_groups.values_list("code", flat=True)) == ["general"]
    assert state_codes(first) == ["HRV"]
    # "minorities/ racial, ethnic, …" is the fixture's "Minorities / racial, ethnic, …".
    assert Recommendation.objects.filter(affected_groups__code="minorities").count() == 67
    assert not result.new_terms.get("affected groups")


@pytest.mark.parametrize(
    "files", [(REPORT, LIST), (LIST, REPORT)], ids=["report-first", "list-first"]
)
def test_the_report_and_the_list_of_one_review_merge_in_either_order(files):
    for path in files:
        import_recommendation_file(path)

    assert Recommendation.objects.count() == 163
    assert positions() == {"supported": 142, "noted": 21}
    recommendations = by_reference()
    # The report's text wins over the list's, which lost spaces when typed into Word.
    assert "amendment to article 8 of the International Convention" in recommendations["115.2"].text
    assert recommendations["115.1"].document.symbol == "A/HRC/28/15"
    assert recommendations["115.1"].themes.exists()
    assert state_codes(recommendations["115.8"]) == ["PER", "SEN", "SLE", "URY", "VEN"]
    assert ReportingCycle.objects.count() == 1


def test_reimporting_the_report_after_the_list_changes_nothing():
    import_recommendation_file(LIST)
    import_recommendation_file(REPORT)

    result = import_recommendation_file(REPORT)

    assert result.unchanged["recommendations"] == 163
    assert result.created["recommendations"] == result.updated["recommendations"] == 0
    assert positions() == {"supported": 142, "noted": 21}  # blank positions erase nothing


def test_the_dry_run_reports_what_would_be_imported_and_saves_nothing():
    before = database_state()

    result = import_recommendation_file(REPORT, dry_run=True)

    assert result.dry_run
    assert result.created["recommendations"] == 163
    assert len(result.preview) == 50
    assert result.preview[0][0].reference == "115.1"
    assert database_state() == before


def test_the_country_and_session_can_be_given_for_a_report_that_does_not_name_them(tmp_path):
    text = REPORT.read_text().replace("The review of Slovenia was held", "It was held")
    path = copy_with(tmp_path, REPORT, text.encode())

    with pytest.raises(ParseError, match="State under review was not found"):
        import_recommendation_file(path)
    import_recommendation_file(path, country=Country.objects.get(code="SVN"))

    assert Recommendation.objects.filter(country__code="SVN").count() == 163


# Repeats and current cycles


def test_a_recommendation_repeated_from_an_earlier_review_is_linked_to_it():
    earlier_cycle = make_cycle("SVN", "UPR", "session 7", is_current=True)
    text = "Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of), Peru, Uruguay)"
    earlier = make_recommendation(
        earlier_cycle, reference="84.3", upr_session=7, text=text.replace("Peru, Uruguay", "Chile")
    )

    result = import_recommendation_file(REPORT)

    # The recommending States in the closing bracket do not count: 115.10 is "Ratify ICRMW
    # (Bosnia and Herzegovina)".
    assert by_reference()["115.8"].previous == earlier
    assert by_reference()["115.10"].previous == earlier
    assert result.repeats["linked"] == 2
    assert "session 7" in result.repeat_examples[0]
    # The later review is now the current cycle.
    earlier_cycle.refresh_from_db()
    assert not earlier_cycle.is_current
    assert ReportingCycle.objects.get(label="session 20").is_current


def test_importing_an_earlier_review_leaves_the_later_one_current():
    later = make_cycle("SVN", "UPR", "session 34", is_current=True)

    import_recommendation_file(REPORT)

    later.refresh_from_db()
    assert later.is_current
    assert not ReportingCycle.objects.get(label="session 20").is_current


# Generated UHRI export of 5,000 rows


def test_a_generated_uhri_workbook_of_5000_rows_is_imported(uhri_5000):
    progress = []

    result = import_recommendation_file(uhri_5000, progress=progress.append)

    assert result.format == "uhri"
    assert progress[-1] == 5000
    # Ten rows are concerns, not recommendations: skipped, with one warning that counts them.
    assert Recommendation.objects.count() == 4990
    assert any("'Concerns/Observations' is not a recommendation" in w.message
               and "10 rows" in w.message for w in result.warnings)
    mechanisms = Counter(Recommendation.objects.values_list("mechanism__code", flat=True))
    assert mechanisms == {"CRC": 4000, "UPR": 990}
    assert positions() == {"": 4000, "supported": 490, "noted": 500}
    assert Recommendation.objects.filter(country__code="CIV").count() == 1663

    # Themes and groups map onto the reference lists; the one unknown theme is created once.
    assert Recommendation.objects.filter(themes__code="F31").count() == 4990
    assert Recommendation.objects.filter(themes__code="E51").count() == 4990
    assert Recommendation.objects.filter(affected_groups__code="children").count() == 4990
    # The crosswalk maps UHRI's later "Land & property rights" onto the fixture's E6.
    assert not result.new_terms
    assert not Theme.objects.filter(taxonomy=Theme.Taxonomy.OTHER).exists()
    assert Recommendation.objects.filter(themes__code="E6").exists()
    # SDG targets are linked; one not in the list is reported once, with its rows.
    assert Recommendation.objects.filter(goals__code="4.1").count() == 4990
    assert any("SDG target '99.9'" in w.message and "10 rows" in w.message for w in result.warnings)

    # Documents and cycles come from the symbols; the later CRC cycle is the current one.
    concluding_observations = Document.objects.get(symbol="CRC/C/KAZ/CO/5-6")
    assert concluding_observations.kind == Document.Kind.CONCLUDING_OBSERVATIONS
    assert set(ReportingCycle.objects.filter(mechanism__code="CRC", is_current=True)
               .values_list("label", flat=True)) == {"5-6"}
    assert ReportingCycle.objects.filter(mechanism__code="CRC").count() == 6
    assert ReportingCycle.objects.filter(mechanism__code="UPR", label="session 20").count() == 3

    # Twenty rows of the 5-6 cycle repeat the 3-4 cycle's text; five say so.
    assert result.repeats == {"linked": 20, "flagged": 5}
    repeat = Recommendation.objects.get(external_id=annotation_id(3007))
    assert repeat.previous.external_id == annotation_id(7)


def test_reimporting_the_generated_uhri_workbook_does_not_duplicate(uhri_5000):
    import_recommendation_file(uhri_5000)

    result = import_recommendation_file(uhri_5000)

    assert Recommendation.objects.count() == 4990
    assert result.unchanged["recommendations"] == 4990
    assert sum(result.created.values()) == 0
    assert result.repeats == {"flagged": 5}  # nothing more to link


def test_a_uhri_row_with_a_changed_text_updates_its_recommendation(tmp_path):
    rows = [generated_row(n) for n in range(1, 6)]
    import_recommendation_file(make_workbook(tmp_path / "first.xlsx", rows))
    rows[0]["Text"] = "2. The Committee recommends that the State party do better."

    result = import_recommendation_file(make_workbook(tmp_path / "second.xlsx", rows))

    assert (result.created["recommendations"], result.updated["recommendations"]) == (0, 1)
    changed = Recommendation.objects.get(external_id=rows[0]["OHCHR Annotation Id"])
    assert changed.text == "2. The Committee recommends that the State party do better."


def test_a_uhri_row_about_a_upr_recommendation_completes_the_reports_record(tmp_path):
    import_recommendation_file(REPORT)
    row = {
        "Text": "115.8 Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of), "
        "Peru, Uruguay);",
        "Countries Concerned": "- Slovenia",
        "Reccomending Body": "- UPR",
        "Document Symbol": "A/HRC/28/15",
        "Themes": "- Acceptance of international norms",
        "UPR Position": "- Noted",
        "UPR Session": "- 20",
        "Type": "- Recommendation",
        "OHCHR Annotation Id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    }

    import_recommendation_file(make_workbook(tmp_path / "uhri.xlsx", [row]))

    assert Recommendation.objects.count() == 163
    recommendation = by_reference()["115.8"]
    assert recommendation.external_id == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert (recommendation.position, recommendation.position_source) == ("noted", "UHRI")


def test_an_unknown_recommending_body_is_skipped_with_a_warning(tmp_path):
    rows = [generated_row(1), generated_row(2) | {"Reccomending Body": "- Committee of Nobody"}]

    result = import_recommendation_file(make_workbook(tmp_path / "uhri.xlsx", rows))

    assert Recommendation.objects.count() == 1
    assert [(w.line, w.message) for w in result.warnings] == [
        (3, "recommending body 'Committee of Nobody' is not a mechanism the tracker knows; "
            "row skipped")
    ]


def test_a_special_procedure_mandate_is_the_special_procedures_mechanism(tmp_path):
    row = generated_row(1) | {"Reccomending Body": "- SR on torture", "Document Symbol": ""}

    import_recommendation_file(make_workbook(tmp_path / "uhri.xlsx", [row]))

    assert Recommendation.objects.get().mechanism == Mechanism.objects.get(code="SP")


def test_an_unknown_recommending_state_is_reported_once_with_its_rows(tmp_path):
    rows = [
        generated_row(n) | {"UPR Reccomending States": "- France\n- Freedonia"} for n in (5, 10, 15)
    ]

    result = import_recommendation_file(make_workbook(tmp_path / "uhri.xlsx", rows))

    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "recommending State 'Freedonia' not found in the country list; left out "
            "(3 rows: 2, 3, 4)")
    ]
    states = Recommendation.objects.values_list("recommending_states__code", flat=True)
    assert set(states) == {"FRA"}


# Bad files: refused, and nothing written


def test_a_truncated_upr_info_export_is_refused_and_nothing_is_written(tmp_path):
    data = UPR_INFO.read_bytes()
    path = copy_with(tmp_path, UPR_INFO, data[: data.rindex(b",Ireland,")])
    before = database_state()

    with pytest.raises(ParseError) as refused:
        import_recommendation_file(path)

    assert "row 6095: only 4 columns (is the file cut short?)" in str(refused.value)
    assert database_state() == before


def test_rows_without_a_state_or_text_refuse_the_file_naming_their_rows(tmp_path):
    lines = UPR_INFO.read_bytes().split(b"\r")
    lines[5999] = b"," + lines[5999].split(b",", 1)[1]  # no State under review on row 6000
    lines[6049] = b"Freedonia," + lines[6049].split(b",", 1)[1]  # row 6050
    path = copy_with(tmp_path, UPR_INFO, b"\r".join(lines))
    before = database_state()

    with pytest.raises(ParseError) as refused:
        import_recommendation_file(path)

    message = str(refused.value)
    assert message.startswith("the file was not imported; 2 rows must be corrected first:")
    assert "row 6000: no State under review (To)" in message
    assert "row 6050: the State under review 'Freedonia' is not in the country list" in message
    # Twelve batches had been written before row 6000: all of them are rolled back.
    assert database_state() == before


def test_a_missing_column_is_named(tmp_path):
    data = UPR_INFO.read_bytes().replace(b"Response", b"Answer", 1)
    path = copy_with(tmp_path, UPR_INFO, data)

    with pytest.raises(ParseError, match="missing required columns: 'Response'"):
        import_recommendation_file(path, "upr-info")
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_a_truncated_word_or_excel_file_is_refused(tmp_path, suffix, uhri_5000):
    data = (LIST if suffix == "docx" else uhri_5000).read_bytes()
    path = tmp_path / f"cut.{suffix}"
    path.write_bytes(data[: len(data) // 2])

    refused = r"damaged Office file that cannot be read"
    with pytest.raises(ParseError, match=refused):
        import_recommendation_file(path)
    assert database_state()[0] == 0


def test_a_report_without_its_recommendations_is_refused(tmp_path):
    text = REPORT.read_text().replace("II. Conclusions and/or recommendations**", "II. Other")
    path = copy_with(tmp_path, REPORT, text.encode())

    with pytest.raises(ParseError, match="no \"Conclusions and/or recommendations\" section"):
        import_recommendation_file(path)
    assert Recommendation.objects.count() == 0


def test_a_file_in_another_format_than_chosen_is_refused():
    with pytest.raises(ParseError, match="a UPR Info export is a CSV file"):
        import_recommendation_file(LIST, "upr-info")


def test_an_unrecognised_file_asks_for_its_format(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes.\n")

    with pytest.raises(ParseError, match="format was not recognised"):
        import_recommendation_file(path)


def test_an_empty_file_is_refused():
    with pytest.raises(ParseError, match="the file is empty"):
        import_recommendation_file(io.BytesIO(b""), file_name="empty.csv")
