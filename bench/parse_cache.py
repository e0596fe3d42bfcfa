"""The Rasa server's parse cache hit rate over a run, replayed from the messages sent.

The cache (``PARSE_CACHE``) is keyed on a message's text alone, one per loaded model, and
drops the least recently used entry beyond its size. Every message of our REST channel is
parsed once, in arrival order, so replaying the messages the load generator sent, in the
order it sent them, through the same key function and an LRU of the same size gives the
hits and misses the server had, without counting anything in the server. With several
conversations at once, arrival order can differ from send order among messages sent
within the same few milliseconds: a negligible difference for a 512-entry cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Optional


def replay(
    texts: Iterable[str], key: Callable[[str], Optional[Hashable]], size: int
) -> dict[str, float]:
    """Hits, misses, texts the cache does not keep (``key`` gives None), and the hit rate
    over every message (cached or not)."""
    cache: OrderedDict[Hashable, None] = OrderedDict()
    hits = misses = skipped = 0
    for text in texts:
        k = key(text)
        if k is None:
            skipped += 1
        elif k in cache:
            hits += 1
            cache.move_to_end(k)
        else:
            misses += 1
            cache[k] = None
            if len(cache) > size:
                cache.popitem(last=False)
    total = hits + misses + skipped
    return {
        "messages": total,
        "hits": hits,
        "misses": misses,
        "not_cached": skipped,
        "hit_rate": round(hits / total, 4) if total else 0.0,
    }


def server_cache() -> tuple[Callable[[str], Optional[Hashable]], int]:
    """The Rasa server's key function and size (``bot.rasa_server.speedups``), applied to
    a message's text as Rasa's ``UserMessage`` strips it; the REST channel's parse keeps
    only the output properties."""
    from bot.rasa_server import speedups

    def key(text: str) -> Optional[Hashable]:
        return speedups.parse_cache_key(text.strip(), True)

    return key, speedups.PARSE_CACHE_SIZE


def server_replay(texts: Iterable[str]) -> dict[str, float]:
    """``replay`` with the Rasa server's cache."""
    key, size = server_cache()
    return replay(texts, key, size)
