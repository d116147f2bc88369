"""Cache backends for tests: memcached's key rules, and a count of round trips."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import InvalidCacheKey, memcache_key_warnings
from django.core.cache.backends.locmem import LocMemCache

ROUND_TRIPS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "has_key",
               "touch", "incr", "decr")  # fmt: skip


class MemcachedRulesCache(LocMemCache):
    """Local memory that refuses what Django's memcached backends refuse (long keys, spaces,
    control characters) with the same InvalidCacheKey, instead of locmem's warning."""

    def validate_key(self, key: str) -> None:
        for warning in memcache_key_warnings(key):
            raise InvalidCacheKey(warning)


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
