"""Paging bad input: a page number past any list, or a cursor that was not the API's, is a 404
with a message, never a database error (schemathesis found the first on PostgreSQL)."""

import base64
import json

import pytest

from tests.api.helpers import token_client
from tests.helpers import make_recommendation, make_user


@pytest.mark.parametrize("page", ["11193834474616596480", "0", "-1", "x"])
def test_a_page_number_out_of_range_is_not_found(db, page):
    response = token_client(make_user()).get(f"/api/countries/?page={page}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such page: pages are numbered from 1."}


@pytest.mark.parametrize("values", [["x"], ["Kazakhstan", "CRC", "not a number", 1],
                                    ["a", "b", 0, 2 ** 70]])
def test_a_forged_cursor_is_not_found(db, values):
    make_recommendation()
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    response = token_client(make_user()).get(f"/api/recommendations/?current=0&cursor={cursor}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert "cursor" in response.json()["detail"]
    response = token_client(make_user()).get("/api/recommendations/?cursor=%%%")
    assert response.status_code == 404
