"""A terminal chat over the REST channel, for ``make shell``."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any


def send(url: str, sender: str, text: str, language: str | None) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"sender": sender, "message": text}
    if language:
        body["metadata"] = {"language": language}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        return list(json.loads(reply.read()))


def loop(url: str, language: str | None = None) -> None:
    sender = uuid.uuid4().hex
    print("Type a message (Ctrl-D to quit). Buttons: type the number.")
    buttons: list[dict[str, str]] = []
    first = True
    while True:
        try:
            text = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        buttons = []
        for message in send(url, sender, text, language if first else None):
            if message.get("text"):
                print(message["text"])
            for button in message.get("buttons") or []:
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}")
        first = False
