"""Cache backends for tests: memcached's key rules, and a count of round trips."""

from __future__ import annotations

import pickle
from typing import Any

from django.core.cache.backends.base import InvalidCacheKey, memcache_key_warnings
from django.core.cache.backends.locmem import LocMemCache

ROUND_TRIPS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "has_key",
               "touch", "incr", "decr")  # fmt: skip


# memcached's default item size limit (-I 1m): a larger value is refused by the server.
ITEM_SIZE_LIMIT = 1024 * 1024


class ItemTooLarge(Exception):
    """What pymemcache raises (MemcacheServerError) when memcached answers
    ``SERVER_ERROR object too large for cache``; Django's backend lets it through."""


class MemcachedRulesCache(LocMemCache):
    """Local memory that refuses what Django's memcached backends refuse: keys with spaces or
    control characters or over 250 characters (the same InvalidCacheKey, instead of locmem's
    warning) and values over memcached's 1 MB item size (an exception, as pymemcache raises)."""

    def validate_key(self, key: str) -> None:
        for warning in memcache_key_warnings(key):
            raise InvalidCacheKey(warning)

    def _refuse_large(self, value: Any) -> None:
        if len(pickle.dumps(value, self.pickle_protocol)) > ITEM_SIZE_LIMIT:
            raise ItemTooLarge("SERVER_ERROR object too large for cache")

    def set(self, key: str, value: Any, *args: Any, **kwargs: Any) -> None:
        self._refuse_large(value)
        super().set(key, value, *args, **kwargs)

    def add(self, key: str, value: Any, *args: Any, **kwargs: Any) -> bool:
        self._refuse_large(value)
        return super().add(key, value, *args, **kwargs)


class CountingCache(MemcachedRulesCache):
    """Counts the calls a networked cache would answer each with one round trip.

    A call made inside another (locmem's ``get_many`` calls ``get``) is part of that one.
    """

    calls: list[str] = []  # one list for every instance: tests clear it
    _depth = 0

    def __getattribute__(self, name: str) -> Any:
        attribute = super().__getattribute__(name)
        if name not in ROUND_TRIPS:
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            if CountingCache._depth == 0:
                CountingCache.calls.append(name)
            CountingCache._depth += 1
            try:
                return attribute(*args, **kwargs)
            finally:
                CountingCache._depth -= 1

        return counted
