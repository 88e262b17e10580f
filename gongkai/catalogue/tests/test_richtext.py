from gongkai.catalogue.richtext import body_to_html, html_to_text, sanitize_html


def test_script_and_style_removed_with_their_content():
    assert (
        sanitize_html("<p>通知<script>alert('x')</script><style>p{color:red}</style>正文</p>")
        == "<p>通知正文</p>"
    )


def test_event_handler_attributes_removed():
    assert (
        sanitize_html(
            '<p onclick="steal()">段落</p><img src="/media/a.png" onerror="x()" alt="图">'
        )
        == '<p>段落</p><img src="/media/a.png" alt="图">'
    )


def test_javascript_and_relative_links_lose_their_target():
    assert sanitize_html('<a href="javascript:alert(1)">点我</a>') == (
        '<a rel="noopener noreferrer">点我</a>'
    )
    assert sanitize_html('<a href=" JaVaScRiPt:alert(1)">点我</a>') == (
        '<a rel="noopener noreferrer">点我</a>'
    )
    assert sanitize_html('<a href="/items/1/">站内</a>') == '<a rel="noopener noreferrer">站内</a>'


def test_http_https_mailto_links_kept():
    assert sanitize_html(
        '<a href="https://www.gov.cn/zhengce/">政策</a><a href="mailto:gk@hz.gov.cn">邮件</a>'
    ) == (
        '<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">政策</a>'
        '<a href="mailto:gk@hz.gov.cn" rel="noopener noreferrer">邮件</a>'
    )


def test_image_sources():
    assert sanitize_html('<img src="data:image/png;base64,AAAA">') == "<img>"
    assert sanitize_html('<img src="//evil.example/x.png">') == "<img>"
    assert sanitize_html('<img src="https://www.gov.cn/a.png">') == (
        '<img src="https://www.gov.cn/a.png">'
    )


def test_iframe_removed_and_tables_kept():
    assert (
        sanitize_html(
            '<iframe src="https://x.example">内嵌</iframe><table><tr><td colspan="2" style="x">'
            "合计</td></tr></table>"
        )
        == '<table><tbody><tr><td colspan="2">合计</td></tr></tbody></table>'
    )


def test_plain_text_body_becomes_paragraphs_and_text_is_extracted():
    html = body_to_html("第一条 为规范管理，制定本办法。\n\n第二条 本办法自发布之日起施行。 a<b")
    assert html == (
        "<p>第一条 为规范管理，制定本办法。</p><p>第二条 本办法自发布之日起施行。 a&lt;b</p>"
    )
    assert (
        html_to_text(html) == "第一条 为规范管理，制定本办法。\n第二条 本办法自发布之日起施行。 a<b"
    )


def test_sanitising_is_idempotent():
    # item_update sanitises the stored body again on every save.
    raw = (
        '<h2>一</h2><p><a href="https://a.cn/" title="t">链接</a><img src="/a.png" alt="图">'
        "<table><tr><th>甲</th></tr></table></p>"
    )
    once = sanitize_html(raw)
    assert sanitize_html(once) == once
