"""Per-address limits on search and the API (issue 17 item 5; gongkai.core.ratelimit)."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.GONGKAI_RATE_LIMITS = {"search": {"ip": (3, 60)}, "api": {"ip": (2, 60)}}
    cache.clear()
    yield settings
    cache.clear()


def test_search_over_the_limit_gets_the_chinese_429_page(limits, world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get("/search/", {"q": "企业"}).status_code == 200
    refused = client.get("/search/", {"q": "企业"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    body = refused.content.decode()
    assert "查询过于频繁，请60秒后再试。" in body
    assert "同一网络地址在短时间内的搜索次数有限制" in body
    assert "杭东市助企纾困十条" not in body
    # Another address is not affected; neither are the pages that are not search.
    assert Client(REMOTE_ADDR="203.0.113.8").get("/search/", {"q": "企业"}).status_code == 200
    assert client.get(f"/items/{world.p2.pk}/").status_code == 200


def test_api_over_the_limit_gets_json_429(limits, world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.get("/api/v1/search", {"q": "企业"}).status_code == 200
    assert client.get(f"/api/v1/policies/{world.p2.pk}").status_code == 200
    refused = client.get("/api/v1/policies")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "查询过于频繁，请60秒后再试。"}
    assert refused["Retry-After"] == "60"


def test_cached_pages_are_not_limited(limits, world):
    limits.GONGKAI_PAGE_CACHE = True
    client = Client(REMOTE_ADDR="203.0.113.10")
    first = client.get("/api/v1/policies")
    assert first.status_code == 200
    for _ in range(10):
        again = client.get("/api/v1/policies")
        assert again.status_code == 200
        assert again["X-Page-Cache"] == "HIT"
        assert again.content == first.content
    # Uncached API reads still count: one miss above, one here, the third is refused.
    assert client.get(f"/api/v1/policies/{world.p2.pk}").status_code == 200
    assert client.get("/api/v1/policies?page=2").status_code == 429


def test_limits_off_when_not_configured(settings, world):
    settings.GONGKAI_RATE_LIMITS = {}
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _ in range(5):
        assert client.get("/search/", {"q": "企业"}).status_code == 200
