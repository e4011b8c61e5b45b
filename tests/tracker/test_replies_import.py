"""The replies importer on the seed: records, links, re-import, corrections and bad input."""

from pathlib import Path

import pytest
from django.conf import settings

from tracker.importing import import_list_of_issues_text, import_replies_text
from tracker.models import Document, ListOfIssuesParagraph, ReplyParagraph, ReplySection, StatisticalTable
from tracker.parsing.common import ParseError

pytestmark = pytest.mark.django_db

SEED = (settings.BASE_DIR / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt").read_text(encoding="utf-8")
LIST_EN = (Path(__file__).parent / "documents" / "loi_crc_en.txt").read_text(encoding="utf-8")


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in
                 (Document, ReplySection, ReplyParagraph, StatisticalTable, ListOfIssuesParagraph))


def labels(section: ReplySection) -> list[str]:
    return [p.label for p in section.issue_paragraphs.order_by("sort_key")]


def test_the_seed_becomes_79_sections_and_274_paragraphs_linked_to_the_list():
    result = import_replies_text(SEED)

    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    assert result.document == replies
    assert replies.kind == Document.Kind.REPLIES and replies.language == "fr"
    assert replies.answers.symbol == "CRC/C/KAZ/Q/5-6"
    assert replies.cycle.country.code == "KAZ" and replies.cycle.mechanism.code == "CRC"
    assert replies.cycle.label == "5-6"
    assert replies.reply_sections.count() == 79
    assert list(replies.reply_paragraphs.values_list("number", flat=True)) == list(range(1, 275))
    assert replies.source_text == SEED

    first = replies.reply_sections.get(order=1)
    assert labels(first) == ["1", "2 (a)"]
    assert list(first.paragraphs.values_list("number", flat=True)) == list(range(1, 10))
    annex = replies.reply_sections.get(heading__contains="18 a) à f)")
    assert labels(annex) == ["18 (a)", "18 (b)", "18 (c)", "18 (d)", "18 (e)", "18 (f)"]
    institution = replies.reply_sections.get(heading__contains="19 b)")
    table = institution.tables.get()
    assert table.caption == "Enfants vivant en institution"
    assert [(row["label"], row["values"]) for row in table.rows] == [
        ("2022", [1398]), ("2023", [1537]), ("2024", [1580])]


def test_sub_paragraphs_get_their_parents_in_the_list():
    import_replies_text(SEED)
    sub = ListOfIssuesParagraph.objects.get(document__symbol="CRC/C/KAZ/Q/5-6", number=18, letter="c")
    assert sub.parent.label == "18"
    assert sub.text == ""  # the list itself has not been imported yet


def test_importing_the_same_text_again_changes_nothing():
    import_replies_text(SEED)
    before = counts()
    result = import_replies_text(SEED)
    assert counts() == before
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0
    assert not result.deleted
    # Nothing was saved, so the history holds one record per document, from its creation.
    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    assert replies.history.count() == 1


def test_a_corrected_text_updates_what_changed_and_nothing_else():
    import_replies_text(SEED)
    corrected = SEED.replace("adopté en janvier 2026", "adopté le 27 janvier 2026")
    result = import_replies_text(corrected)
    assert result.updated["paragraphs"] == 1
    assert "adopté le 27 janvier 2026" in ReplyParagraph.objects.get(number=1).text
    assert ReplyParagraph.objects.count() == 274


def test_a_dry_run_reports_everything_and_saves_nothing():
    before = counts()
    result = import_replies_text(SEED, dry_run=True)
    assert result.created["sections"] == 79 and result.created["paragraphs"] == 274
    assert "Dry run" in result.summary()
    assert counts() == before


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("Le Kazakhstan a adopté une loi.\n\n1. Un paragraphe.", "no heading"),
    ("Réponses à la liste de points (CRC/C/KAZ/Q/5-6)\nRéponse concernant le paragraphe 2 de la liste de points\n",
     "no numbered paragraph"),
])
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(text, message):
    before = counts()
    with pytest.raises(ParseError) as error:
        import_replies_text(text)
    assert message in str(error.value).lower()
    assert counts() == before


def test_replies_imported_after_the_list_link_to_its_paragraphs_and_warn_of_unknown_ones():
    import_list_of_issues_text(LIST_EN)
    list_paragraphs = ListOfIssuesParagraph.objects.count()
    result = import_replies_text(SEED)

    two_b = ListOfIssuesParagraph.objects.get(document__symbol="CRC/C/KAZ/Q/5-6", number=2, letter="b")
    assert two_b.text.startswith("The mandate, powers and resources")
    assert list(two_b.reply_sections.values_list("heading", flat=True)) == [
        "Réponse concernant le paragraphe 2 b) de la liste de points"]
    # The test list is shorter than the real one: headings naming paragraphs it lacks are
    # reported, and no empty paragraph is invented in a list that has been imported.
    assert ListOfIssuesParagraph.objects.count() == list_paragraphs
    assert any("which CRC/C/KAZ/Q/5-6 does not have" in w.message for w in result.warnings)


def test_the_list_imported_after_the_replies_fills_the_paragraphs_and_keeps_the_links():
    import_replies_text(SEED)
    section = ReplySection.objects.get(heading__contains="paragraphe 2 b)")
    paragraph = section.issue_paragraphs.get()
    assert paragraph.text == ""

    import_list_of_issues_text(LIST_EN)

    paragraph.refresh_from_db()
    assert paragraph.text.startswith("The mandate, powers and resources")
    assert list(paragraph.reply_sections.all()) == [section]
    replies_list = Document.objects.get(symbol="CRC/C/KAZ/Q/5-6")
    assert replies_list.word_limit == 10_700
    assert replies_list.date.isoformat() == "2025-11-06"
    due = replies_list.cycle.milestones.get(kind="replies_due")
    assert due.planned_date.isoformat() == "2026-02-15"


def test_the_replies_dates_are_recorded_with_the_submission_milestone():
    from tracker.models import Milestone

    text = (settings.BASE_DIR / "tests" / "tracker" / "documents" / "replies_cescr_kaz_1_start_en.txt")
    import_replies_text(text.read_text(encoding="utf-8"))
    replies = Document.objects.get(symbol="E/C.12/KAZ/Q/1/Add.1")
    assert (str(replies.date), str(replies.received)) == ("2010-01-05", "2009-10-19")
    milestone = replies.cycle.milestones.get(kind=Milestone.Kind.REPLIES_SUBMITTED)
    assert str(milestone.actual_date) == "2009-10-19"


def test_warnings_of_one_kind_make_one_line_of_the_summary():
    from tracker.importing import ImportResult
    from tracker.parsing.common import ParseWarning

    result = ImportResult(
        Document(symbol="CRC/C/KAZ/RQ/5-6"),
        warnings=[ParseWarning(n, f"paragraph {n + 1} follows paragraph {n - 1}: {n} missing")
                  for n in (10, 20, 30, 40)] + [ParseWarning(50, "nothing under this heading")],
    )
    summary = result.summary().splitlines()
    assert summary[1:] == [
        "  4 × paragraph … follows paragraph …: … missing",
        "    line 10: paragraph 11 follows paragraph 9: 10 missing",
        "    line 20: paragraph 21 follows paragraph 19: 20 missing",
        "    line 30: paragraph 31 follows paragraph 29: 30 missing",
        "    … and 1 more",
        "  1 × nothing under this heading",
        "    line 50: nothing under this heading",
    ]


def test_a_second_import_of_the_same_replies_updates_nothing():
    import_replies_text(SEED)
    result = import_replies_text(SEED)
    assert not +result.updated and not +result.created
