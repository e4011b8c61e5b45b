"""Consistency checks on the reference-data fixtures in fixtures/*.json.

These read the JSON files directly: no database, no Django models.
"""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

FILES = {
    "countries.json": "tracker.country",
    "organisations.json": "tracker.organisation",
    "mechanisms.json": "tracker.mechanism",
    "themes.json": "recommendations.theme",
    "sdgs.json": "recommendations.sustainabledevelopmentgoal",
    "affected_groups.json": "recommendations.affectedgroup",
}

REGIONAL_GROUPS = {
    "African States",
    "Asia-Pacific States",
    "Eastern European States",
    "Latin American and Caribbean States",
    "Western European and other States",
}


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fields_by_pk(name):
    return {record["pk"]: record["fields"] for record in load(name)}


def fold(text):
    text = text.replace("\u2019", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


@pytest.fixture(scope="module")
def countries():
    return [record["fields"] for record in load("countries.json")]


@pytest.fixture(scope="module")
def sdgs():
    return load("sdgs.json")


# ------------------------------------------------------------------ all files


@pytest.mark.parametrize("name,model", sorted(FILES.items()))
def test_each_fixture_is_a_list_of_records_of_its_model_with_pks_1_to_n(name, model):
    records = load(name)
    assert records, name
    assert [record["model"] for record in records] == [model] * len(records)
    assert [record["pk"] for record in records] == list(range(1, len(records) + 1))
    assert all(set(record) == {"model", "pk", "fields"} for record in records)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_fixture_is_stored_in_its_canonical_utf8_layout(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_record_of_a_fixture_has_the_same_field_names(name):
    field_sets = {tuple(sorted(record["fields"])) for record in load(name)}
    assert len(field_sets) == 1, field_sets


# ------------------------------------------------------------------ countries


def test_there_are_193_un_member_states(countries):
    assert sum(1 for c in countries if c["un_member"]) == 193


def test_the_two_observer_states_are_present_and_flagged_as_non_members(countries):
    observers = {c["code"]: c for c in countries if not c["un_member"]}
    assert set(observers) == {"VAT", "PSE"}
    assert observers["VAT"]["name"] == "Holy See"
    assert observers["PSE"]["name"] == "State of Palestine"
    assert all(o["region"] == "" for o in observers.values())


def test_country_codes_are_unique_iso_alpha3_codes(countries):
    codes = [c["code"] for c in countries]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_country_names_in_every_language_are_unique_and_filled_in(countries):
    for key in ("name", "name_fr", "name_ru"):
        values = [c[key] for c in countries]
        assert all(v.strip() == v and v for v in values), key
        assert len(values) == len(set(values)), key


def test_members_belong_to_one_of_the_five_regional_groups(countries):
    members = [c for c in countries if c["un_member"]]
    assert {c["region"] for c in members} == REGIONAL_GROUPS


def test_regional_groups_have_their_known_sizes(countries):
    sizes = Counter(c["region"] for c in countries if c["un_member"])
    assert sizes == {
        "African States": 54,
        "Asia-Pacific States": 54,
        "Eastern European States": 23,
        "Latin American and Caribbean States": 33,
        # 28 members plus the United States, which sits with the group.
        "Western European and other States": 29,
    }


def test_countries_are_numbered_in_alphabetical_order_of_name(countries):
    keys = [fold(c["name"]) for c in countries]
    assert keys == sorted(keys)


def test_aliases_are_lists_of_distinct_nonempty_strings(countries):
    for c in countries:
        assert isinstance(c["aliases"], list), c["code"]
        assert all(isinstance(a, str) and a.strip() == a and a for a in c["aliases"]), c["code"]
        folded = [a.casefold() for a in c["aliases"]]
        assert len(folded) == len(set(folded)), c["code"]
        assert c["name"].casefold() not in folded, c["code"]


def test_every_alias_is_unique_across_countries(countries):
    owners = Counter(a.casefold() for c in countries for a in c["aliases"])
    assert [a for a, n in owners.items() if n > 1] == []


def test_no_alias_equals_another_countrys_name(countries):
    names = {c["name"].casefold(): c["code"] for c in countries}
    clashes = [
        (c["code"], a)
        for c in countries
        for a in c["aliases"]
        if names.get(a.casefold(), c["code"]) != c["code"]
    ]
    assert clashes == []


def test_accented_names_have_an_ascii_folded_alias(countries):
    for c in countries:
        if not c["name"].isascii():
            ascii_name = unicodedata.normalize("NFKD", c["name"]).encode("ascii", "ignore").decode()
            assert ascii_name in c["aliases"], c["code"]


@pytest.mark.parametrize(
    "code,spelling",
    [
        ("VEN", "Venezuela"),
        ("VEN", "Bolivarian Republic of Venezuela"),
        ("TUR", "Turkey"),
        ("TUR", "Turkiye"),
        ("CIV", "Cote d'Ivoire"),
        ("CIV", "Ivory Coast"),
        ("GBR", "United Kingdom"),
        ("GBR", "UK"),
        ("USA", "United States"),
        ("USA", "USA"),
        ("RUS", "Russia"),
        ("PRK", "North Korea"),
        ("PRK", "DPRK"),
        ("KOR", "South Korea"),
        ("MDA", "Moldova"),
        ("MKD", "The former Yugoslav Republic of Macedonia"),
        ("MKD", "Macedonia"),
        ("SWZ", "Swaziland"),
        ("CZE", "Czech Republic"),
        ("LAO", "Laos"),
        ("COD", "Democratic Republic of Congo"),
        ("COG", "Republic of Congo"),
        ("IRN", "Iran"),
        ("SYR", "Syria"),
        ("TZA", "Tanzania"),
        ("VNM", "Vietnam"),
        ("BOL", "Bolivia"),
        ("FSM", "Micronesia"),
        ("CPV", "Cape Verde"),
        ("PSE", "Palestine"),
    ],
)
def test_common_spellings_resolve_to_the_right_country(countries, code, spelling):
    matches = {
        c["code"]
        for c in countries
        if spelling.casefold() in {n.casefold() for n in [c["name"], *c["aliases"]]}
    }
    assert matches == {code}


def test_un_names_are_used_for_renamed_states(countries):
    by_code = {c["code"]: c for c in countries}
    assert by_code["TUR"]["name"] == "Türkiye"
    assert by_code["CIV"]["name"] == "Côte d'Ivoire"
    assert by_code["CIV"]["name_fr"] == "Côte d’Ivoire"
    assert by_code["BOL"]["name"] == "Bolivia (Plurinational State of)"
    assert by_code["BOL"]["name_fr"] == "Bolivie (État plurinational de)"
    assert by_code["KAZ"]["name"] == by_code["KAZ"]["name_fr"] == "Kazakhstan"


# -------------------------------------------------------------- organisations

ORGANISATION_KINDS = {"ngo", "nhri", "government", "un", "coe", "eu", "other"}


def test_organisations_have_a_known_kind_and_unique_names():
    orgs = fields_by_pk("organisations.json")
    assert all(o["kind"] in ORGANISATION_KINDS for o in orgs.values())
    names = [o["name"] for o in orgs.values()]
    assert len(names) == len(set(names))
    acronyms = [o["acronym"] for o in orgs.values() if o["acronym"]]
    assert len(acronyms) == len(set(acronyms))


def test_organisation_countries_point_at_existing_countries():
    countries = fields_by_pk("countries.json")
    orgs = fields_by_pk("organisations.json")
    assert all(o["country"] is None or o["country"] in countries for o in orgs.values())


def test_organisation_websites_are_empty_or_https_urls():
    orgs = fields_by_pk("organisations.json")
    assert all(o["website"] == "" or o["website"].startswith("https://") for o in orgs.values())


def test_kazakh_human_rights_institutions_are_linked_to_kazakhstan():
    countries = fields_by_pk("countries.json")
    nhris = [o for o in fields_by_pk("organisations.json").values() if o["kind"] == "nhri"]
    assert len(nhris) == 2
    assert {countries[o["country"]]["code"] for o in nhris} == {"KAZ"}


# ----------------------------------------------------------------- mechanisms

TREATY_BODIES = {"CCPR", "CESCR", "CERD", "CEDAW", "CAT", "SPT", "CRC", "CMW", "CRPD", "CED"}
MECHANISM_KINDS = {"treaty_body", "upr", "special_procedure", "coe", "ohchr_office"}


def test_mechanism_codes_are_unique_and_include_the_ten_treaty_bodies():
    mechanisms = list(fields_by_pk("mechanisms.json").values())
    codes = [m["code"] for m in mechanisms]
    assert len(codes) == len(set(codes))
    assert {m["code"] for m in mechanisms if m["kind"] == "treaty_body"} == TREATY_BODIES
    assert {"UPR", "SP", "CM-COE", "OHCHR-ROCA"} <= set(codes)


def test_every_mechanism_has_a_known_kind_and_an_existing_organisation():
    orgs = fields_by_pk("organisations.json")
    for m in fields_by_pk("mechanisms.json").values():
        assert m["kind"] in MECHANISM_KINDS, m["code"]
        assert m["organisation"] in orgs, m["code"]
        assert m["name"] and m["name_fr"] and m["name_ru"], m["code"]


@pytest.mark.parametrize("fixture", ["themes.json", "affected_groups.json"])
def test_every_theme_and_group_has_a_french_and_a_russian_name(fixture):
    for entry in fields_by_pk(fixture).values():
        assert entry["name_fr"].strip() and entry["name_ru"].strip(), entry["name"]


def test_only_treaty_bodies_name_a_treaty():
    for m in fields_by_pk("mechanisms.json").values():
        assert bool(m["treaty"]) == (m["kind"] == "treaty_body"), m["code"]


def test_mechanisms_belong_to_the_expected_organisations():
    orgs = fields_by_pk("organisations.json")
    owner = {m["code"]: orgs[m["organisation"]] for m in fields_by_pk("mechanisms.json").values()}
    assert {owner[code]["acronym"] for code in TREATY_BODIES} == {"OHCHR"}
    assert owner["UPR"]["acronym"] == "HRC"
    assert owner["SP"]["acronym"] == "HRC"
    assert owner["CM-COE"]["kind"] == "coe"
    assert owner["OHCHR-ROCA"]["name"] == "OHCHR Regional Office for Central Asia"


# --------------------------------------------------------------------- themes


def test_theme_codes_are_unique_and_taxonomies_known():
    themes = fields_by_pk("themes.json")
    codes = [t["code"] for t in themes.values()]
    assert len(codes) == len(set(codes))
    assert {t["taxonomy"] for t in themes.values()} == {"uhri", "crc-cluster"}


def test_theme_parents_are_top_level_themes_of_the_same_taxonomy():
    themes = fields_by_pk("themes.json")
    for t in themes.values():
        if t["parent"] is not None:
            parent = themes[t["parent"]]
            assert parent["parent"] is None, t["code"]
            assert parent["taxonomy"] == t["taxonomy"], t["code"]


def test_uhri_theme_codes_nest_under_their_category_code():
    themes = fields_by_pk("themes.json")
    for t in themes.values():
        if t["taxonomy"] != "uhri":
            continue
        assert re.fullmatch(r"[A-H]\d{1,2}", t["code"]), t["code"]
        if t["parent"] is None:
            assert len(t["code"]) == 2, t["code"]
        else:
            assert t["code"][:2] == themes[t["parent"]]["code"], t["code"]


def test_crc_clusters_are_top_level():
    clusters = [t for t in fields_by_pk("themes.json").values() if t["taxonomy"] == "crc-cluster"]
    assert len(clusters) == 11
    assert all(t["parent"] is None for t in clusters)
    assert {"General measures of implementation", "Special protection measures"} <= {
        t["name"] for t in clusters
    }


@pytest.mark.parametrize(
    "code,name",
    [
        ("A12", "Acceptance of international norms"),
        ("B31", "Equality & non-discrimination"),
        ("D25", "Prohibition of torture and cruel, inhuman or degrading treatment"),
        ("F31", "Children: definition; general principles; protection"),
    ],
)
def test_well_known_uhri_themes_are_present(code, name):
    by_code = {t["code"]: t for t in fields_by_pk("themes.json").values()}
    assert by_code[code]["name"] == name
    assert by_code[code]["taxonomy"] == "uhri"


# ----------------------------------------------------------------------- SDGs


def test_there_are_17_goals_with_codes_1_to_17(sdgs):
    goals = [r["fields"] for r in sdgs if r["fields"]["goal"] is None]
    assert [g["code"] for g in goals] == [str(n) for n in range(1, 18)]
    assert goals[15]["title"] == "Peace, justice and strong institutions"


def test_there_are_169_targets_each_pointing_at_its_goal(sdgs):
    by_pk = {r["pk"]: r["fields"] for r in sdgs}
    targets = [r["fields"] for r in sdgs if r["fields"]["goal"] is not None]
    assert len(targets) == 169
    for t in targets:
        goal = by_pk[t["goal"]]
        assert goal["goal"] is None, t["code"]
        assert t["code"].split(".")[0] == goal["code"], t["code"]


def test_target_codes_are_numeric_or_lettered_and_unique(sdgs):
    codes = [r["fields"]["code"] for r in sdgs]
    assert len(codes) == len(set(codes))
    targets = [c for c in codes if "." in c]
    assert all(re.fullmatch(r"(1[0-7]|[1-9])\.([1-9]|1[0-9]|[a-d])", c) for c in targets)


def test_targets_per_goal_match_the_2030_agenda(sdgs):
    counts = Counter(r["fields"]["code"].split(".")[0] for r in sdgs if "." in r["fields"]["code"])
    assert [counts[str(n)] for n in range(1, 18)] == [
        7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19,
    ]


def test_every_sdg_has_a_single_line_title(sdgs):
    for r in sdgs:
        title = r["fields"]["title"]
        assert title and title == " ".join(title.split()), r["fields"]["code"]


def test_target_16_3_has_its_official_text(sdgs):
    by_code = {r["fields"]["code"]: r["fields"] for r in sdgs}
    assert by_code["16.3"]["title"] == (
        "Promote the rule of law at the national and international levels "
        "and ensure equal access to justice for all"
    )


# ------------------------------------------------------------ affected groups


def test_affected_group_codes_are_unique_slugs_and_names_unique():
    groups = list(fields_by_pk("affected_groups.json").values())
    codes = [g["code"] for g in groups]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in codes)
    names = [g["name"] for g in groups]
    assert len(names) == len(set(names))


def test_core_uhri_affected_persons_are_present():
    names = {g["name"] for g in fields_by_pk("affected_groups.json").values()}
    assert {
        "Children",
        "Women",
        "Girls",
        "General",
        "Persons with disabilities",
        "Migrants",
        "Refugees & asylum seekers",
        "Internally displaced persons",
        "Indigenous peoples",
        "Human rights defenders",
        "Persons deprived of their liberty",
        "Stateless persons",
        "Non-citizens",
    } <= names
