"""UN treaty-body document symbols: what `CRC/C/KAZ/Q/5-6` says about itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The committee prefix, the State's ISO code, the document type and the report numbers.
TREATY_SYMBOL = re.compile(
    r"\b(?P<body>CRC|CCPR|CAT|CED|CEDAW|CERD|CMW|CRPD|E/C\.12)"
    r"(?:/C)?/(?P<country>[A-Z]{3})/(?:(?P<type>Q|QPR|RQ|CO)/)?(?P<label>\d+(?:-\d+)?)\b"
)

BODY_TO_MECHANISM = {"E/C.12": "CESCR"}

TYPE_TO_KIND = {
    None: "state_report",
    "Q": "list_of_issues",
    "QPR": "list_of_issues_prior",
    "RQ": "replies",
    "CO": "concluding_observations",
}


@dataclass(frozen=True)
class TreatySymbol:
    symbol: str
    mechanism: str  # the Mechanism code, e.g. "CRC", "CESCR"
    country: str  # ISO 3166 alpha-3
    kind: str  # a Document.Kind value
    label: str  # the cycle's report numbers, e.g. "5-6"

    def sibling(self, kind: str) -> str:
        """The symbol of another document of the same cycle, e.g. the list a reply answers."""
        letters = {value: key for key, value in TYPE_TO_KIND.items()}[kind]
        body = next(b for b in (self.symbol.split("/")[0], "E/C.12") if self.symbol.startswith(b))
        middle = "" if body == "E/C.12" else "/C"
        type_part = f"/{letters}" if letters else ""
        return f"{body}{middle}/{self.country}{type_part}/{self.label}"


def parse_treaty_symbol(text: str) -> TreatySymbol | None:
    match = TREATY_SYMBOL.search(text)
    if not match:
        return None
    body = match["body"]
    return TreatySymbol(
        symbol=match[0],
        mechanism=BODY_TO_MECHANISM.get(body, body),
        country=match["country"],
        kind=TYPE_TO_KIND[match["type"]],
        label=match["label"],
    )
