"""Internal services fail closed: no token, no listening beyond loopback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot import ROOT
from bot.infra.tokens import MissingToken, loopback_only, require_token, token_matches


def test_loopback_only():
    assert all(loopback_only(h) for h in ("127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost"))
    assert not any(loopback_only(h) for h in ("0.0.0.0", "::", "", "10.0.0.5", "web", "eig.fr"))


def test_no_token_is_refused_beyond_loopback_only():
    require_token("action server", "EIG_ACTIONS_TOKEN", "", "127.0.0.1")
    require_token("action server", "EIG_ACTIONS_TOKEN", "s3cret", "0.0.0.0")
    with pytest.raises(MissingToken, match="Set EIG_ACTIONS_TOKEN") as refused:
        require_token("action server", "EIG_ACTIONS_TOKEN", "", "0.0.0.0")
    assert "action server" in str(refused.value) and "'0.0.0.0'" in str(refused.value)


def test_a_set_token_is_compared_exactly():
    assert token_matches("", None)  # none configured: loopback only, see above
    assert token_matches("abc", "abc") and not token_matches("abc", "abd")
    assert not token_matches("abc", None) and not token_matches("abc", "")


@pytest.mark.parametrize(
    ("command", "variable"), [("actions", "EIG_ACTIONS_TOKEN"), ("web", "EIG_NLG_TOKEN")]
)
def test_the_internal_services_refuse_to_start_open_to_the_network(command, variable):
    env = {k: v for k, v in os.environ.items() if k not in ("EIG_ACTIONS_TOKEN", "EIG_NLG_TOKEN")}
    started = subprocess.run(
        [sys.executable, "-m", "bot", command, "--host", "0.0.0.0", "--port", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode != 0
    assert f"Set {variable}" in started.stderr and "Traceback" not in started.stderr
