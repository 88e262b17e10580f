"""The policy library's facet links (portal.templatetags.policy_library): escaped, and the
same markup the template loop gave (issue 17 moved it into one tag)."""

from gongkai.policies.selectors import Facet, FacetValue
from gongkai.portal.templatetags.policy_library import facet_value_link


def test_inactive_value_link_is_escaped():
    facet = Facet(key="org", label="发布机构")
    value = FacetValue(
        value='7"x', label="<b>财政&预算</b>", count=12, url="/policies/?org=7&kind=a"
    )
    assert facet_value_link(facet, value) == (
        '<a href="/policies/?org=7&amp;kind=a" data-facet="org" data-value="7&quot;x">'
        '&lt;b&gt;财政&amp;预算&lt;/b&gt; <span class="count">(12)</span></a>'
    )


def test_active_value_link_says_it_is_selected():
    facet = Facet(key="kind", label="文件类型")
    value = FacetValue(
        value="normative", label="行政规范性文件", count=424, active=True, url="/policies/"
    )
    assert facet_value_link(facet, value) == (
        '<a href="/policies/" data-facet="kind" data-value="normative" class="active"'
        ' aria-current="true"><span aria-hidden="true">✓ </span>行政规范性文件'
        ' <span class="count">(424)</span>'
        '<span class="sr-only">（已选中，再次点击取消）</span></a>'
    )
