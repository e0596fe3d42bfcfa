"""Replaying the messages sent through an LRU of the parse cache's key and size."""

from __future__ import annotations

from bench import parse_cache


def short(text: str):
    return text if len(text) <= 5 else None


def test_repeats_hit_until_evicted_least_recently_used_first():
    texts = ["a", "b", "a", "c", "b", "a", "toolong", "toolong"]
    stats = parse_cache.replay(texts, short, size=2)
    # a miss, b miss, a hit, c miss (evicts b), b miss (evicts a), a miss, 2 not cached
    assert stats == {
        "messages": 8,
        "hits": 1,
        "misses": 5,
        "not_cached": 2,
        "hit_rate": 0.125,
    }


def test_a_hit_makes_its_entry_the_most_recent():
    stats = parse_cache.replay(["a", "b", "a", "c", "a"], short, size=2)
    assert (stats["hits"], stats["misses"]) == (2, 3)  # c evicted b, not a


def test_nothing_sent_is_no_hit():
    assert parse_cache.replay([], short, size=4)["hit_rate"] == 0.0


def test_the_replay_counts_what_the_servers_cache_parses(monkeypatch):
    """The replay's misses are the NLU runs of the Rasa server's own cached parse."""
    from bot.rasa_server import speedups

    monkeypatch.setattr(speedups, "PARSE_CACHE_SIZE", 3)
    runs: list[str] = []

    def parse_with_graph(self, message, tracker, only_output_properties=True):
        runs.append(message.text)
        return {"text": message.text, "intent": {"name": "x"}}

    class Processor:
        pass

    class Message:
        def __init__(self, text: str) -> None:
            self.text = text.strip()  # as Rasa's UserMessage does

    parse = speedups.cached_parse(parse_with_graph)
    processor = Processor()
    sent = ["oui", " oui ", "/affirm", "merci", "bonjour", "oui", "x" * 101, "x" * 101, "/affirm"]
    for text in sent:
        assert parse(processor, Message(text), None)["text"] == text.strip()
    stats = parse_cache.server_replay(sent)
    assert stats["misses"] + stats["not_cached"] == len(runs) == 8  # "oui" evicted once
    assert stats["hits"] == len(sent) - len(runs) == 1
