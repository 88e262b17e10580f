"""Every portal page's <title> reads "<page> - <site>" (a template test of ``self`` — which
Django templates do not have — used to drop the separator)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "<title>首页 - 政务公开平台</title>"),
        ("/no-such-page/", "<title>页面不存在 - 政务公开平台</title>"),
        ("/policies/", "<title>政策文件库 - 政务公开平台</title>"),
    ],
)
def test_portal_titles_have_the_separator(client, url, title):
    assert title in client.get(url).content.decode()
