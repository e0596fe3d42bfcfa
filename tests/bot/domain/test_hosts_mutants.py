"""A button's payload names no structure, whatever words it carries (docs/testing.md,
"Mutation testing")."""

from __future__ import annotations

import pytest

from bot.domain.hosts import structure_from_text


@pytest.mark.parametrize(
    "payload",
    ['/inform{"structure": "mairie"}', ' /host_check{"text": "une mairie"} '],
)
def test_a_button_payload_is_not_read_as_a_sentence(payload: str) -> None:
    assert structure_from_text(payload.replace("/", "", 1)) is not None  # the words alone
    assert structure_from_text(payload) is None
