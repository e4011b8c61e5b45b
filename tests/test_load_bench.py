"""The load test's bookkeeping (bench/load.py, bench/fault.py, bench/load_probe.py): the runs
themselves are scripts, but whether they count acknowledged writes right is tested here."""

from bench.fault import outage
from bench.load import Sample, summarize, verify
from bench.load_probe import markers
from recommendations.models import FollowUpAssessment, Status
from tests.helpers import make_assessment, make_organisation, make_recommendation


def test_it_finds_every_acknowledged_write_exactly_once():
    check = verify(acknowledged=["LT-1:a:1", "LT-1:a:2"], attempted=["LT-1:a:1", "LT-1:a:2"],
                   found=["LT-1:a:2", "LT-1:a:1"])

    assert check["exactly_once"]
    assert check["missing"] == check["duplicated"] == []


def test_it_reports_an_acknowledged_write_that_is_missing():
    check = verify(acknowledged=["LT-1:a:1", "LT-1:a:2"], attempted=["LT-1:a:1", "LT-1:a:2"],
                   found=["LT-1:a:1"])

    assert not check["exactly_once"]
    assert check["missing"] == ["LT-1:a:2"]


def test_it_reports_a_write_saved_twice():
    check = verify(acknowledged=["LT-1:a:1"], attempted=["LT-1:a:1"],
                   found=["LT-1:a:1", "LT-1:a:1"])

    assert not check["exactly_once"]
    assert check["duplicated"] == ["LT-1:a:1"]


def test_a_write_saved_though_its_answer_was_lost_is_no_failure():
    # The client gave up waiting (or the connection was cut) after the commit: the write is there
    # once, and nobody was told it failed for sure.
    check = verify(acknowledged=[], attempted=["LT-1:a:1"], found=["LT-1:a:1"])

    assert check["exactly_once"]
    assert check["saved_without_acknowledgement"] == 1


def test_it_reports_a_marker_no_client_wrote():
    check = verify(acknowledged=[], attempted=[], found=["LT-1:x:9"])

    assert not check["exactly_once"]
    assert check["not_from_this_run"] == ["LT-1:x:9"]


def test_it_counts_the_markers_of_one_run_in_summaries_and_review_notes(db):
    recommendation = make_recommendation()
    organisation = make_organisation()
    make_assessment(recommendation, organisation, Status.IN_PROGRESS,
                    summary="Load test follow-up [LT-ab12:load-ngo-1:1]")
    make_assessment(recommendation, organisation, Status.IN_PROGRESS,
                    summary="Load test follow-up [LT-ab12:load-ngo-1:1]")
    make_assessment(recommendation, organisation, Status.IN_PROGRESS,
                    summary="Load test follow-up [LT-ffff:load-ngo-1:1]")
    make_assessment(recommendation, organisation, Status.IMPLEMENTED,
                    review_state=FollowUpAssessment.ReviewState.DISPUTED,
                    review_note="Load test review [LT-ab12:load-reviewer-0:3]")

    found = markers("LT-ab12")

    assert found == {"log": ["LT-ab12:load-ngo-1:1"] * 2, "review": ["LT-ab12:load-reviewer-0:3"]}


def test_a_conflict_between_reviewers_is_not_an_error():
    samples = [
        Sample("review", 302, 10.0, 1.0, "ok"),
        Sample("review", 403, 12.0, 2.0, "conflict"),
        Sample("read", 500, 30.0, 3.0, "error", error_page=True),
        Sample("read", 0, 60000.0, 4.0, "error"),
    ]

    summary = summarize(samples, seconds=2)

    assert summary["errors"] == {"500": 1, "0": 1}
    assert summary["server_errors"] == 1
    assert summary["kinds"]["review"]["conflicts"] == 1
    assert summary["kinds"]["review"]["errors"] == {}
    assert summary["per_second"] == 2


def test_the_fault_test_sees_the_outage_and_the_recovery():
    def sample(started: float, status: int, outcome: str, error_page: bool = False) -> dict:
        return {"kind": "read", "status": status, "ms": 100.0, "started": started,
                "outcome": outcome, "error_page": error_page}

    samples = [
        sample(1, 200, "ok"),
        sample(11, 500, "error", error_page=True),  # the database stopped at 10
        sample(19, 500, "error", error_page=True),
        sample(21, 500, "error", error_page=True),  # started at 20, it answers again
        sample(23, 200, "ok"),
    ]

    result = outage(samples, down=10, up=20, timeout=60)

    assert result["answers_while_down"] == {"500": 2}
    assert result["server_errors_while_down_with_error_page"] == 2
    assert result["errors_after_restart"] == {"500": 1}
    assert result["recovered_after_s"] == 3.1
    assert result["recovered"]


def test_an_error_long_after_the_restart_means_no_recovery():
    samples = [{"kind": "read", "status": 500, "ms": 10.0, "started": 45.0, "outcome": "error",
                "error_page": True},
               {"kind": "read", "status": 200, "ms": 10.0, "started": 22.0, "outcome": "ok",
                "error_page": False}]

    assert not outage(samples, down=10, up=20, timeout=60)["recovered"]
