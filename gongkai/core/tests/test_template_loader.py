"""Constant ``{% translate %}`` is folded per language by the template loader (issue 17 item 4):
a page prints what Django's own loader and tag print, in each language and escaping mode."""

import pytest
from django.template import Context, Engine
from django.utils import translation

from gongkai.core.template_loader import ConstantTranslateNode, fold_translations

SOURCE = (
    '{% load i18n %}<p title="{% translate "Yes" %}">{% translate "a<b & c" %}</p>'
    '{% if flag %}{% translate "No" %}{% else %}{% translate "No" noop %}{% endif %}'
    '{% for x in items %}[{% translate "Yes" %}{{ x }}]{% empty %}{% translate "None" %}'
    "{% endfor %}"
    '{% autoescape off %}{% translate "a<b & c" %}{% endautoescape %}'
    '{% translate "Yes"|upper %}|{% translate "No" as no %}{{ no }}|'
    '{% translate word %}|{% translate "May" context "month name" %}'
    "{% blocktranslate %}Yes{% endblocktranslate %}"
)


def _engines() -> tuple[Engine, Engine]:
    templates = {"page.html": SOURCE}
    libraries = {"i18n": "django.templatetags.i18n"}
    folded = Engine(
        libraries=libraries,
        loaders=[
            (
                "gongkai.core.template_loader.Loader",
                [("django.template.loaders.locmem.Loader", templates)],
            )
        ],
    )
    plain = Engine(
        libraries=libraries, loaders=[("django.template.loaders.locmem.Loader", templates)]
    )
    return folded, plain


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_folded_pages_print_what_django_prints(language):
    folded, plain = _engines()
    contexts = [
        {"flag": True, "items": [1, 2], "word": "Yes"},
        {"flag": False, "items": [], "word": "No"},
    ]
    with translation.override(language):
        for values in contexts:
            for _ in range(2):  # the second render prints the kept texts
                expected = plain.get_template("page.html").render(Context(values))
                assert folded.get_template("page.html").render(Context(values)) == expected
    assert "是" in expected if language == "zh-hans" else "Yes" in expected


def test_one_template_serves_each_language_its_own_text():
    folded, _plain = _engines()
    template = folded.get_template("page.html")
    with translation.override("zh-hans"):
        chinese = template.render(Context({"items": []}))
    with translation.override("en"):
        english = template.render(Context({"items": []}))
    # A message written in the template is safe text: printed as written, never escaped.
    assert chinese.startswith('<p title="是">a<b & c</p>No无')
    assert english.startswith('<p title="Yes">a<b & c</p>NoNone')


def test_only_constant_messages_without_filter_variable_or_context_are_folded():
    folded, _plain = _engines()
    template = folded.get_template("page.html")
    nodes: list = []

    def collect(nodelist):
        for node in nodelist:
            nodes.append(node)
            for name in ("nodelist", "nodelist_loop", "nodelist_empty"):
                if hasattr(node, name) and name in vars(node):
                    collect(getattr(node, name))
            for _condition, inner in getattr(node, "conditions_nodelists", ()):
                collect(inner)

    collect(template.nodelist)
    folded_nodes = [n for n in nodes if isinstance(n, ConstantTranslateNode)]
    # "Yes" ×2, "a<b & c" ×2, "No", "No" noop, "None"; not |upper, as, a variable, context.
    assert len(folded_nodes) == 7
    assert fold_translations(template.nodelist) == 0  # already folded: nothing left to fold
