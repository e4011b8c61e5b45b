"""English and French complete, Russian prepared: the message catalogues and pages in French.

The catalogues are read with the standard library only: a small .po reader below, and
`gettext.GNUTranslations` for the compiled .mo files that are committed beside them.
"""

from __future__ import annotations

import ast
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tracker.models import CooperationFramework, ReportingCycle

LOCALE = Path(settings.BASE_DIR) / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
RUSSIAN_PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


# --- Reading a .po file -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def read_po(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete `#~` entries are left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry
        if entry is not None and target is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
                target = None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if keyword:
            name, index, value = keyword.group(1), keyword.group(2), ast.literal_eval(keyword.group(3))
            if name.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr.append(value)
            else:
                target = (name, 0)
                setattr(entry, name, value)
        else:  # a continuation line of the previous string
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
    finish()
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    text = next(entry for entry in entries if entry.is_header).msgstr[0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgxXeEc]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


@pytest.fixture(scope="module")
def french() -> list[Entry]:
    return [entry for entry in read_po(FRENCH_PO) if not entry.is_header]


# --- The French catalogue -----------------------------------------------------------------------


def test_the_french_catalogue_has_a_proper_header():
    entries = read_po(FRENCH_PO)
    fields = header(entries)
    assert fields["Language"] == "fr"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in next(entry for entry in entries if entry.is_header).flags


def test_the_french_catalogue_is_read_whole(french):
    # A reader that silently skipped entries would let everything below pass.
    raw = FRENCH_PO.read_text(encoding="utf-8")
    assert len(french) == len(re.findall(r"^msgid ", raw, re.MULTILINE)) - 1
    assert len(french) > 600


def test_every_french_entry_is_translated_and_none_is_fuzzy(french):
    fuzzy = [str(entry) for entry in french if "fuzzy" in entry.flags]
    untranslated = [
        str(entry)
        for entry in french
        if not entry.msgstr
        or any(not text.strip() for text in entry.msgstr)
        or len(entry.msgstr) != (2 if entry.msgid_plural is not None else 1)
    ]
    assert not fuzzy, fuzzy
    assert not untranslated, untranslated


def test_placeholders_match_between_english_and_french(french):
    wrong = []
    for entry in french:
        if entry.msgid_plural is None:
            if placeholders(entry.msgid) != placeholders(entry.msgstr[0]):
                wrong.append(str(entry))
            continue
        # The singular may leave the number out ("The first record read"), as English does.
        singular, plural = entry.msgstr
        if placeholders(singular) not in (placeholders(entry.msgid), placeholders(entry.msgid_plural)):
            wrong.append(f"{entry} [0]")
        if placeholders(plural) != placeholders(entry.msgid_plural):
            wrong.append(f"{entry} [1]")
    assert not wrong, wrong


def test_html_in_messages_is_kept(french):
    wrong = [
        str(entry)
        for entry in french
        for text in entry.msgstr
        if tags(text) != tags(entry.msgid_plural or entry.msgid)
    ]
    assert not wrong, wrong


def test_a_french_budget_puts_the_currency_after_the_amount(french):
    (budget,) = [entry for entry in french if entry.msgid == "%(currency)s %(amount)s"]
    assert re.fullmatch(r"%\(amount\)s[ \xa0\u202f]%\(currency\)s", budget.msgstr[0])


def test_the_un_terms_are_used(french):
    translated = {entry.msgid: entry.msgstr[0] for entry in french if entry.msgid_plural is None}
    assert translated["List of issues"] == "Liste de points"
    assert translated["List of issues prior to reporting"] == (
        "Liste de points établie avant la soumission du rapport"
    )
    assert translated["Replies to the list of issues"] == "Réponses à la liste de points"
    assert translated["Concluding observations"] == "Observations finales"
    assert translated["Universal Periodic Review"] == "Examen périodique universel"
    assert translated["Sustainable Development Goals"] == "Objectifs de développement durable"


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_the_compiled_catalogues_are_committed_and_up_to_date(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"run `make messages`: {mo} is missing"
    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.info()["language"] == language
    stale = []
    for entry in read_po(po):
        if entry.is_header or "fuzzy" in entry.flags or not all(entry.msgstr):
            continue
        context = f"{entry.msgctxt}\x04" if entry.msgctxt is not None else ""
        if entry.msgid_plural is None:
            compiled_text = catalogue._catalog.get(context + entry.msgid)
            if compiled_text != entry.msgstr[0]:
                stale.append(str(entry))
        else:
            for index, text in enumerate(entry.msgstr):
                if catalogue._catalog.get((context + entry.msgid, index)) != text:
                    stale.append(f"{entry} [{index}]")
    assert not stale, f"run `make messages`: the .mo file is older than the .po file: {stale}"


def test_the_russian_catalogue_is_complete():
    entries = read_po(RUSSIAN_PO)
    assert header(entries)["Language"] == "ru"
    assert header(entries)["Plural-Forms"].startswith("nplurals=4;")
    russian = [entry for entry in entries if not entry.is_header]
    assert not [str(entry) for entry in russian if "fuzzy" in entry.flags]
    untranslated = [
        str(entry) for entry in russian
        if not entry.msgstr or any(not text.strip() for text in entry.msgstr)
        or len(entry.msgstr) != (4 if entry.msgid_plural is not None else 1)
    ]
    assert not untranslated, untranslated
    # Every number in a plural form, as Russian needs ("21 строка", "22 строки", "25 строк").
    wrong = [str(entry) for entry in russian if entry.msgid_plural is None
             and placeholders(entry.msgid) != placeholders(entry.msgstr[0])]
    assert not wrong, wrong


def test_a_russian_cycle_page_is_in_russian_with_months_in_the_genitive(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    content = text(client.get(demo.get_absolute_url()))
    assert '<html lang="ru">' in content
    assert "Вопросы и ответы" in content and "Комитет по правам ребёнка" in content
    assert "6 ноября 2025" in content  # the list of issues' date
    assert re.search(r"\d{1,2} (?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября"
                     r"|октября|ноября|декабря) \d{4}", content)


# --- Templates: no visible text left out of the catalogue ---------------------------------------

# Visible words that are the same in every language.
UNTRANSLATED_OK = {"CSV", "XLSX"}


def visible_text(source: str) -> list[str]:
    """What a template shows outside {% translate %} and {% blocktranslate %}: its bare text."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
    attributes = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', source)
    text = re.sub(r"<[^>]*>", "\n", source)
    words = [html.unescape(chunk).strip(" \n·—–-:;,.()") for chunk in text.splitlines() + attributes]
    return [word for word in words if re.search(r"[A-Za-z]{2,}", word) and word not in UNTRANSLATED_OK]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_templates_mark_their_text_for_translation(template):
    assert visible_text(template.read_text(encoding="utf-8")) == []


# --- Pages in French ----------------------------------------------------------------------------


def text(response) -> str:
    """A page as a reader sees it: entities decoded, non-breaking and thin spaces as spaces."""
    assert response.status_code == 200
    return re.sub("[\xa0\u202f]", " ", html.unescape(response.content.decode()))


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return ReportingCycle.objects.get(country__code="KAZ", mechanism__code="CRC", label="5-6")


def test_the_dashboard_is_in_french_when_the_browser_asks_for_it(client, demo):
    content = text(client.get(reverse("recommendations:dashboard"), HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<html lang="fr">' in content
    for french_text in ["Tableau de bord", "Cycles en cours", "Étape atteinte", "Prochaine échéance",
                        "Recommandations par statut actuel", "Échéance des réponses",
                        "Toutes les échéances"]:
        assert french_text in content, french_text
    for english_text in ["Dashboard", "Active reporting cycles", "Next deadline", "Needs attention"]:
        assert english_text not in content, english_text


def test_the_dashboard_stays_in_english_by_default(client, demo):
    content = text(client.get(reverse("recommendations:dashboard")))
    assert '<html lang="en">' in content
    assert "Dashboard" in content and "Tableau de bord" not in content


def test_the_cycle_page_in_french_has_french_labels_dates_and_numbers(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = text(client.get(demo.get_absolute_url()))
    assert '<html lang="fr">' in content
    for french_text in [
        "Chronologie", "Questions et réponses", "Procédure", "Date prévue", "Date effective",
        "Rapport de l’État partie", "Liste de points, 6 novembre 2025",
        "Réponses à la liste de points", "Simple renvoi à une annexe",
        "paragraphes de la liste de points CRC/C/KAZ/Q/5-6",
    ]:
        assert french_text in content, french_text
    # Dates and numbers follow French conventions: month names, a space between thousands.
    assert "15 février 2026" in content
    assert re.search(r"limite : 10 700\b", content)
    assert re.search(r"\b\d{1,2} \d{3} mots\b", content)
    for english_text in ["Timeline", "Questions and answers", "Next deadline", "words over the limit"]:
        assert english_text not in content, english_text


def test_the_language_switcher_sets_french_for_the_next_pages(client, demo):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    content = text(client.get(demo.get_absolute_url()))
    assert "Chronologie" in content and "15 février 2026" in content
    # The switcher offers every language under its own name, the current one selected.
    assert '<option value="fr" selected>' in content
    assert "English" in content and "Русский" in content


def test_a_budget_is_written_the_french_way(client, demo):
    framework = CooperationFramework.objects.get()
    english = text(client.get(framework.get_absolute_url()))
    assert "EUR 2,000,000" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french_page = text(client.get(framework.get_absolute_url()))
    assert "2 000 000 EUR" in french_page
    assert "18 décembre 2013" in french_page and "Cadres de coopération" in french_page
