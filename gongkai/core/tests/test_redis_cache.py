"""gongkai.core.redis_cache: Django's Redis backend without a new client per operation."""

import os

from gongkai.core.redis_cache import RedisCache

REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


def test_one_client_serves_every_operation_and_values_round_trip():
    backend = RedisCache(REDIS, {"KEY_PREFIX": "gk-test-redis-cache"})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client("another-key") is client
    try:
        backend.set("entry", {"title": "关于印发惠企政策的通知", "gens": {"t": 7}}, 30)
        assert backend.get("entry") == {"title": "关于印发惠企政策的通知", "gens": {"t": 7}}
        assert backend.add("counter", 1, 30) is True
        assert backend.incr("counter") == 2
        assert backend.get_many(["entry", "counter", "missing"]) == {
            "entry": {"title": "关于印发惠企政策的通知", "gens": {"t": 7}},
            "counter": 2,
        }
    finally:
        backend.delete_many(["entry", "counter"])
    assert backend.get("entry") is None
    assert backend._cache.get_client() is client
