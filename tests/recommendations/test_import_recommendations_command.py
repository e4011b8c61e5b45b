from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Recommendation
from tracker.models import ReportingCycle

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
UPR_INFO = DATA / "upr-info-export-sessions-01-05.csv"


def run(*args, **options) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_recommendations", *map(str, args), stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_it_imports_a_file_and_prints_a_summary():
    out, err = run(LIST)

    assert Recommendation.objects.count() == 163
    assert out.startswith(
        f"{LIST.name} (OHCHR UPR thematic list of recommendations (.docx)): 163 rows read.\n"
        "Recommendations: 163 created, 0 updated, 0 unchanged.\n"
        "Positions: 142 Supported, 21 Noted.\n"
    )
    assert "Dry run" not in out
    # The progress line is rewritten in place ("\r"); its last state has the final count.
    last = err.rstrip("\n").rsplit("\r", 1)[1]
    assert last.startswith("163 rows read, ") and last.endswith(" rows/s")


def test_the_upr_info_sample_is_imported_with_its_warnings_shortened():
    out, _ = run(UPR_INFO, "--format", "upr-info")

    assert "Recommendations: 6094 created, 0 updated, 0 unchanged." in out
    assert "Positions: 4087 Supported, 2007 Noted." in out
    assert "9 warnings." in out
    assert "  row 2497: the recommending State is not known" in out


def test_a_dry_run_reports_and_writes_nothing():
    out, _ = run(REPORT, "--dry-run")

    assert "Recommendations: 163 created, 0 updated, 0 unchanged." in out
    assert out.rstrip().endswith("Dry run: nothing was saved.")
    assert Recommendation.objects.count() == 0
    assert ReportingCycle.objects.count() == 0


def test_a_second_import_changes_nothing():
    run(REPORT)

    out, _ = run(REPORT)

    assert "Recommendations: 0 created, 0 updated, 163 unchanged." in out


def test_the_country_and_session_can_be_given(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(REPORT.read_text().replace("The review of Slovenia was held", "It was held"))

    run(path, "--format", "upr-report", "--country", "svn", "--session", "20")

    assert Recommendation.objects.filter(country__code="SVN", upr_session=20).count() == 163


def test_verbosity_0_prints_nothing():
    out, err = run(REPORT, verbosity=0)

    assert (out, err) == ("", "")
    assert Recommendation.objects.count() == 163


def test_a_refused_file_names_the_file_the_row_and_the_problem(tmp_path):
    path = tmp_path / "cut.csv"
    data = UPR_INFO.read_bytes()
    path.write_bytes(data[: data.rindex(b",Ireland,")])

    with pytest.raises(CommandError) as error:
        run(path)

    assert str(error.value) == (
        "cut.csv: the file was not imported; 1 row must be corrected first: "
        "row 6095: only 4 columns (is the file cut short?)"
    )
    assert Recommendation.objects.count() == 0


def test_a_missing_column_is_named_with_its_row(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(UPR_INFO.read_bytes().replace(b",Session", b",Sess", 1))

    message = r"^export\.csv, row 1: missing required columns: 'Session'$"
    with pytest.raises(CommandError, match=message):
        run(path, "--format", "upr-info")


def test_a_file_of_another_format_than_chosen_is_refused():
    with pytest.raises(CommandError, match="a UPR Info export is a CSV file"):
        run(LIST, "--format", "upr-info")


def test_a_missing_file_is_an_error():
    with pytest.raises(CommandError, match="Cannot read .*nowhere.csv: No such file or directory"):
        run(DATA / "nowhere.csv")


def test_an_unknown_country_code_is_an_error():
    with pytest.raises(CommandError, match="There is no country with the code 'XYZ'"):
        run(REPORT, "--country", "XYZ")


def test_an_unknown_format_is_an_error():
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        run(REPORT, "--format", "pdf")
