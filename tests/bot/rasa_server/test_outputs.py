"""The channels' output: each bot message carries its language, id and response name."""

from __future__ import annotations

from typing import Any

from rasa.core.actions.action import create_bot_utterance
from socketio import AsyncServer

from bot.rasa_server import outputs, webchat


class Recorded(outputs.SocketIOOutput):
    """The socket.io output, keeping what it emits instead of sending it to a socket."""

    def __init__(self, fallback: outputs.Fallback = None) -> None:
        super().__init__(AsyncServer(async_mode="asgi"), "bot_uttered", fallback)
        self.emitted: list[dict[str, Any]] = []

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.emitted.append(response)


async def test_socketio_messages_carry_the_nlg_services_metadata():
    channel = Recorded()
    reply = {
        "text": "Hello!", "buttons": [{"title": "Pay", "payload": "/faq"}],
        "language": "en", "conversation_language": "fr",
        "message_id": "0" * 32, "response": "utter_greet", "utter_action": "utter_greet",
    }  # fmt: skip
    await channel.send_response("s1", create_bot_utterance(reply).message())
    assert channel.emitted == [
        {
            "text": "Hello!",
            "quick_replies": [{"content_type": "text", "title": "Pay", "payload": "/faq"}],
            "metadata": {
                "language": "en", "conversation_language": "fr",
                "message_id": "0" * 32, "response": "utter_greet",
            },
        }
    ]  # fmt: skip


async def test_paragraphs_are_messages_each_with_the_language():
    channel = Recorded()
    await channel.send_text_message("s1", "Un.\n\nDeux.", language="fr")
    assert [m["metadata"]["language"] for m in channel.emitted] == ["fr", "fr"]
    assert [m["text"] for m in channel.emitted] == ["Un.", "Deux."]


async def test_a_message_without_language_takes_the_fallback_only_then():
    asked: list[int] = []

    def fallback() -> str:
        asked.append(1)
        return "en"

    channel = Recorded(fallback)
    await channel.send_text_message("s1", "Bonjour", language="fr")
    assert asked == []
    await channel.send_text_message("s1", "Sorry, please try again.")
    assert channel.emitted[-1]["metadata"] == {"language": "en", "conversation_language": "en"}
    assert asked == [1]
    # Without a fallback, and with unsupported or malformed values, nothing is invented.
    plain = Recorded()
    await plain.send_text_message("s1", "x", language="de", message_id="../", response="x")
    assert plain.emitted == [{"text": "x"}]


def test_client_metadata_from_metadata_or_custom_data():
    assert webchat.client_metadata({"metadata": {"language": "fr"}}) == {"language": "fr"}
    assert webchat.client_metadata({"customData": {"language": "en"}}) == {"language": "en"}
    both = {"customData": {"language": "en", "a": 1}, "metadata": '{"language": "fr"}'}
    assert webchat.client_metadata(both) == {"language": "fr", "a": 1}
    assert webchat.client_metadata({"customData": "[1, 2]", "metadata": "{"}) == {}
    assert webchat.client_metadata(["not", "a", "dict"]) == {}


async def test_the_turn_guard_gives_socketio_turns_our_output_and_its_apology_a_language():
    from rasa.core.channels.channel import UserMessage
    from rasa.core.channels.socketio import SocketIOOutput as Stock

    from bot.rasa_server import turn_guard

    stock = Stock(AsyncServer(async_mode="asgi"), "bot_uttered")
    assert type(outputs.marking_language(stock)) is outputs.SocketIOOutput
    collector = outputs.CollectingOutput()
    assert outputs.marking_language(collector) is collector

    async def fails(message: UserMessage) -> None:
        raise RuntimeError("the NLG service is down")

    channel = outputs.CollectingOutput()
    message = UserMessage("hello there, what is the salary?", channel, "s1", metadata={})
    await turn_guard.answer(fails, message)
    assert message.output_channel is channel
    [apology] = channel.messages
    assert apology["metadata"] == {"language": "en", "conversation_language": "en"}
    assert apology["text"].startswith("Sorry")
