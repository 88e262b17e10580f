# ruff: noqa: E501  (the former template loops, copied as they were)
"""The busy pages' list rows printed by one tag per list (portal.templatetags.portal_rows,
issue 17 item 4): byte for byte what the template loops they replaced printed. The loops are
kept here, as they were, and rendered beside the tags on the same rows."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from gongkai.catalogue.selectors import public_items
from gongkai.core.status import ContentStatus
from gongkai.policies.selectors import public_interpretations, with_public_interpretations
from gongkai.policies.tests.conftest import make_item
from gongkai.policies.tests.factories import InterpretationFactory

pytestmark = pytest.mark.django_db

OLD_LIBRARY_LOOP = """{% load i18n %}<ul>
      {% for item in page_obj.object_list %}
      <li class="policy">
        <h3><a href="{% url 'portal:item_detail' item.pk %}">{{ item.title }}</a>{% if item.validity != "valid" %} <span class="badge {{ item.validity }}">{{ item.get_validity_display }}</span>{% endif %}</h3>
        <p class="meta">
          {% if item.doc_number %}<span>{% translate "文号：" %}{{ item.doc_number }}</span>{% endif %}
          <span>{% translate "发布机构：" %}{{ item.organisation.name }}</span>
          <span>{% translate "发布日期：" %}{{ item.published_date|date:"Y-m-d" }}</span>
          <span>{% translate "文件类型：" %}{{ item.get_policy_kind_display }}</span>
        </p>
        {% if item.public_interpretations %}
        <p class="interps">{% translate "解读：" %}{% for interp in item.public_interpretations %}<a href="{% url 'portal:interpretation_detail' interp.pk %}">{{ interp.title }}</a>{% if not forloop.last %}；{% endif %}{% endfor %}</p>
        {% endif %}
      </li>
      {% endfor %}
    </ul>"""

OLD_FACET_LOOP = """{% load policy_library %}<ul>
        {% for v in facet.values %}
        <li>{% facet_value_link facet v %}</li>
        {% endfor %}
      </ul>"""

OLD_ITEM_LIST_LOOP = """{% load i18n %}<ul class="items">
  {% for item in items %}
  <li>
    <span><a href="{% url 'portal:item_detail' item.pk %}">{{ item.title }}</a>{% if item.validity != "valid" %} <span class="badge {{ item.validity }}">{{ item.get_validity_display }}</span>{% endif %}{% if show_org %} <span class="org">{{ item.organisation.name }}</span>{% endif %}</span>
    <span class="date">{{ item.published_date|date:"Y-m-d" }}</span>
  </li>
  {% endfor %}
</ul>"""

OLD_HOME_POLICY_LOOP = """{% load i18n %}<ul>
      {% for item in latest_policies %}
      <li>
        <span><a href="{% url 'portal:item_detail' item.pk %}">{{ item.title }}</a>
        {% for interp in item.public_interpretations %}<br><span class="interp-link">{% translate "解读：" %}<a href="{% url 'portal:interpretation_detail' interp.pk %}">{{ interp.title }}</a></span>{% endfor %}</span>
        <span class="date">{{ item.published_date|date:"Y-m-d" }}</span>
      </li>
      {% endfor %}
    </ul>"""

OLD_HOME_INTERPRETATION_LOOP = """{% load i18n %}<ul>
      {% for interp in latest_interpretations %}
      <li><span><a href="{% url 'portal:interpretation_detail' interp.pk %}">{{ interp.title }}</a> <span class="badge">{{ interp.get_form_display }}</span></span><span class="date">{{ interp.published_date|date:"Y-m-d" }}</span></li>
      {% endfor %}
    </ul>"""

NEW_LIBRARY = "{% load portal_rows %}<ul>\n      {% policy_rows items %}\n    </ul>"
NEW_FACET = "{% load policy_library %}<ul>\n        {% facet_value_items facet %}\n      </ul>"
NEW_ITEM_LIST = '{% load portal_rows %}<ul class="items">\n  {% item_rows items show_org %}\n</ul>'
NEW_HOME_POLICY = (
    "{% load portal_rows %}<ul>\n      {% home_policy_rows latest_policies %}\n    </ul>"
)
NEW_HOME_INTERPRETATION = (
    "{% load portal_rows %}<ul>\n      {% interpretation_rows latest_interpretations %}\n    </ul>"
)


def render(source: str, **context) -> str:
    with translation.override("zh-hans"):
        return engines["django"].from_string(source).render(context)


@pytest.fixture
def rows(world):
    """The policy world, plus a row with every character escaping changes, no 文号 and no
    date, and a policy with two public interpretations (the "；" between them)."""
    odd = make_item(
        world.office,
        "<b>\"补贴\" & '奖励'</b>",
        kind="normative",
        doc_number="杭东<规>〔2026〕&1号",
        validity="amended",
    )
    second = InterpretationFactory.create(
        organisation=world.office,
        title="助企纾困十条<问答版>",
        status=ContentStatus.PUBLISHED,
        published_date=datetime.date(2025, 5, 20),
    )
    second.policies.set([world.p2])
    items = list(
        with_public_interpretations(
            public_items().select_related("organisation").order_by("-published_date", "-id")
        )
    )
    assert odd in items  # every character escaping changes, no 文号, no date
    assert world.p3 in items  # repealed
    assert len(next(i for i in items if i == world.p2).public_interpretations) == 2
    return items


def test_library_rows_are_what_the_loop_printed(rows):
    old = render(OLD_LIBRARY_LOOP, page_obj={"object_list": rows})
    new = render(NEW_LIBRARY, items=rows)
    assert new == old
    assert "&lt;b&gt;&quot;补贴&quot; &amp; &#x27;奖励&#x27;&lt;/b&gt;" in new
    assert "助企纾困十条&lt;问答版&gt;</a>" in new
    assert new.count("</a>；<a") == 1


def test_item_list_rows_are_what_the_loop_printed_with_and_without_organisation(rows):
    for show_org in (True, False, ""):
        old = render(OLD_ITEM_LIST_LOOP, items=rows, show_org=show_org)
        assert render(NEW_ITEM_LIST, items=rows, show_org=show_org) == old
    assert '<span class="org">' not in render(NEW_ITEM_LIST, items=rows)


def test_home_rows_are_what_the_loops_printed(rows):
    assert render(NEW_HOME_POLICY, latest_policies=rows) == render(
        OLD_HOME_POLICY_LOOP, latest_policies=rows
    )
    interpretations = list(public_interpretations().order_by("-published_date", "-id"))
    assert len(interpretations) == 3
    assert render(NEW_HOME_INTERPRETATION, latest_interpretations=interpretations) == render(
        OLD_HOME_INTERPRETATION_LOOP, latest_interpretations=interpretations
    )


def test_facet_items_are_what_the_loop_printed():
    from gongkai.policies.selectors import Facet, FacetValue

    facet = Facet(key="org", label="发布机构")
    facet.values = [
        FacetValue(value='7"x', label="<b>财政&预算</b>", count=12, url="/policies/?org=7&k=a"),
        FacetValue(value="8", label="教育局", count=3, active=True, url="/policies/"),
    ]
    assert render(NEW_FACET, facet=facet) == render(OLD_FACET_LOOP, facet=facet)


def test_empty_lists_print_nothing_between_the_tags():
    assert render(NEW_LIBRARY, items=[]) == "<ul>\n      \n    </ul>"
    assert render(OLD_LIBRARY_LOOP, page_obj={"object_list": []}) == "<ul>\n      \n    </ul>"


OLD_SEARCH_HIT_LOOP = """{% load i18n %}<ol>
        {% for hit in result.hits %}
        <li class="search-hit{% if hit.inactive %} inactive{% endif %}">
          <h3><a href="{{ hit.url }}">{{ hit.title_html|safe }}</a></h3>
          <p class="meta">
            <span class="badge">{{ hit.type_label }}</span>
            {% if hit.doc_number %}<span>{% translate "文号：" %}{{ hit.doc_number }}</span>{% endif %}
            {% if hit.published %}<span>{% translate "发布日期：" %}{{ hit.published }}</span>{% endif %}
            {% if hit.validity and hit.validity != "valid" %}<span class="badge validity-{{ hit.validity }}">{{ hit.validity_label }}</span>{% endif %}
          </p>
          {% if hit.snippet %}<p class="snippet">{{ hit.snippet|safe }}</p>{% endif %}
        </li>
        {% endfor %}
      </ol>"""
NEW_SEARCH_HITS = "{% load portal_rows %}<ol>\n        {% search_hit_rows hits %}\n      </ol>"


def test_search_hit_rows_are_what_the_loop_printed(world):
    """Hits as search.selectors.hit_dict shapes them: one with everything (highlighted title
    and snippet are already HTML), one inactive without 文号, date or snippet."""
    hits = [
        {
            "url": f"/items/{world.p2.pk}/?a=1&b=<2>",
            "title_html": "杭东市<mark>助企</mark>纾困十条",
            "type_label": "政策文件",
            "doc_number": "杭东政办规〔2025〕3号 & <附>",
            "published": "2025-05-10",
            "validity": "valid",
            "validity_label": "有效",
            "snippet": "十条<mark>助企</mark>措施。",
            "inactive": False,
        },
        {
            "url": f"/items/{world.p3.pk}/",
            "title_html": "杭东市教育收费暂行规定",
            "type_label": "政策文件",
            "doc_number": "",
            "published": None,
            "validity": "repealed",
            "validity_label": "已废止",
            "snippet": "",
            "inactive": True,
        },
    ]
    new = render(NEW_SEARCH_HITS, hits=hits)
    assert new == render(OLD_SEARCH_HIT_LOOP, result={"hits": hits})
    assert '<li class="search-hit inactive">' in new
    assert "杭东政办规〔2025〕3号 &amp; &lt;附&gt;" in new


OLD_SEARCH_FACET_LOOP = """<ul>
          {% for v in facet.values %}
          <li{% if v.selected %} class="selected"{% endif %}><a href="{{ v.url }}"{% if v.selected %} aria-current="true"{% endif %}>{% if v.selected %}✓ {% endif %}{{ v.label }}</a> <span class="count">({{ v.count }})</span></li>
          {% endfor %}
        </ul>"""
NEW_SEARCH_FACET = (
    "{% load portal_rows %}<ul>\n          {% search_facet_items facet %}\n        </ul>"
)


def test_search_facet_items_are_what_the_loop_printed():
    facet = {
        "name": "org",
        "title": "发布机构",
        "values": [
            {
                "label": "杭东市<财政>局",
                "count": 1234,
                "selected": True,
                "url": "/search/?q=a&org=1",
            },
            {"label": "教育局", "count": 7, "selected": False, "url": "/search/?q=a&org=2"},
        ],
    }
    new = render(NEW_SEARCH_FACET, facet=facet)
    assert new == render(OLD_SEARCH_FACET_LOOP, facet=facet)
    assert '<li class="selected"><a href="/search/?q=a&amp;org=1" aria-current="true">' in new
    assert "(1234)" in new
