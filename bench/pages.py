"""The pages the benchmark requests, each with the admin changelist (or change page) that shows
the same rows, where the admin has one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

LIST = "/recommendations/"
ADMIN = "/admin/recommendations/recommendation/"
# The app's list shows current cycles unless told otherwise; the admin's filter on the same.
ADMIN_CURRENT = {"cycle__is_current__exact": "1"}
# Two words a person following a topic would type; they appear in the generated texts.
SEARCH_TEXT = "juvenile justice"
# The admin's "o" parameter is the position in list_display, counting the action checkbox:
# "__str__" 1, "short_text" 2, then kind, status and position; the other columns have no equal.
ADMIN_SORTS = {"kind": "3", "status": "4", "position": "5"}
SORTS = ["reference", "status", "country", "mechanism", "kind", "date", "-date", "position"]
APP_PAGE_SIZE, ADMIN_PAGE_SIZE = 25, 100


@dataclass
class Page:
    name: str
    url: str
    admin_url: str | None = None  # None: the admin has no page doing the same
    target_ms: int = 200  # the p95 the page must stay under


def url(path: str, query: dict[str, Any]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def pages(v: dict[str, Any]) -> list[Page]:
    """The pages, from the values bench/probe.py picked (`v`)."""

    def listed(name: str, app: dict[str, Any], admin: dict[str, Any] | None,
               current: bool = True) -> Page:
        admin_query = None if admin is None else ({**admin, **ADMIN_CURRENT} if current else admin)
        return Page(name, url(LIST, app), None if admin_query is None else url(ADMIN, admin_query))

    result = [
        Page("dashboard", "/", target_ms=300),
        listed("list, unfiltered (current cycles, the default)", {}, {}),
        listed("list, all cycles", {"current": "0"}, {}, current=False),
        listed("filter: country", {"country": v["country_code"]},
               {"country__id__exact": v["country"]}),
        listed("filter: mechanism", {"mechanism": v["mechanism_code"]},
               {"mechanism__id__exact": v["mechanism"]}),
        # A chosen cycle is shown whether it is current or not, on both sides.
        listed("filter: cycle", {"cycle": v["cycle"]}, {"cycle__id__exact": v["cycle"]},
               current=False),
        listed("filter: kind", {"kind": v["kind"]}, {"kind__exact": v["kind"]}),
        listed("filter: theme", {"theme": v["theme_code"]}, {"themes__id__exact": v["theme"]}),
        listed("filter: goal", {"goal": v["goal_code"]}, {"goals__id__exact": v["goal"]}),
        listed("filter: affected group", {"affected_group": v["affected_group_code"]},
               {"affected_groups__id__exact": v["affected_group"]}),
        listed("filter: status", {"status": v["status"]}, {"status__exact": v["status"]}),
        listed("filter: organisation", {"organisation": v["organisation"]}, None),
        listed("filter: organisation + its status", {
            "organisation": v["organisation"], "organisation_status": v["organisation_status"],
        }, None),
        listed("filter: urgent", {"urgent": "true"}, {"urgent__exact": "1"}),
        listed("filter: selected for follow-up", {"follow_up": "true"}, {"follow_up__exact": "1"}),
        listed("filter: follow-up logged", {"has_follow_up": "true"}, None),
        listed("filter: no follow-up logged", {"has_follow_up": "false"}, None),
        listed("filter: position", {"position": v["position"]}, {"position__exact": v["position"]}),
        listed("filter: recommending State", {"recommending_state": v["recommending_state_code"]},
               {"recommending_states__id__exact": v["recommending_state"]}),
        listed("filter: issued from", {"date_from": v["median_date"]},
               {"date__gte": v["median_date"]}),
        listed("filter: issued until", {"date_to": v["median_date"]},
               {"date__lte": v["median_date"]}),
        listed("three filters: country, mechanism, status", {
            "country": v["country_code"], "mechanism": v["mechanism_code"], "status": v["status"],
        }, {
            "country__id__exact": v["country"], "mechanism__id__exact": v["mechanism"],
            "status__exact": v["status"],
        }),
        listed(f"text search “{SEARCH_TEXT}”", {"q": SEARCH_TEXT}, {"q": SEARCH_TEXT}),
    ]
    for column in SORTS:
        admin = ADMIN_SORTS.get(column)
        result.append(listed(f"sorted by {column}", {"sort": column},
                             {"o": admin} if admin else None))
    # The admin pages 100 rows at a time: its page that starts at the same row.
    deep = v["deep_page"]
    result.append(listed(
        f"deep page ({deep:,}), all cycles", {"current": "0", "page": deep},
        {"p": math.ceil((deep - 1) * APP_PAGE_SIZE / ADMIN_PAGE_SIZE) + 1}, current=False,
    ))
    result += [
        Page(f"recommendation with the longest history ({v['long_history_entries']} entries)",
             f"/recommendations/{v['long_history']}/",
             f"{ADMIN}{v['long_history']}/change/"),
        Page("cycle: questions and answers", f"/cycles/{v['questions_and_answers']}/"),
        Page(f"search “{SEARCH_TEXT}”", url("/search/", {"q": SEARCH_TEXT})),
        Page("deadlines", "/deadlines/"),
    ]
    return result


def export_url(extension: str, v: dict[str, Any]) -> str:
    return url(f"/recommendations/export.{extension}", {
        "current": "0", "date_from": v["export_from"],
    })
