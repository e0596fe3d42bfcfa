"""The web service as the tests meet it: the app built by its factory, on a test server."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app


@pytest.fixture
async def client(known):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
