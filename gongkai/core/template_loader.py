"""The template loader: Django's cached loader, with constant ``{% translate %}`` folded.

A page prints some twenty ``{% translate "…" %}`` of constant text (labels, headings); each
render of one resolved the literal, asked the active translation for it (through asgiref's
``Local``), localised and escaped it: ~15 µs of CPU each, a tenth of the policy page's (issue
17 item 4). The text depends only on the language and on whether the context autoescapes, so
each such node is replaced, once when the template is first loaded into the process, by one
that keeps its output per (language, autoescape) and renders the original node the first time
a pair is seen. The output is the same string the tag prints. Tags with a filter, ``as``
variable, context (``context "…"``) or a variable message are left as they are, as is
``{% blocktranslate %}``.
"""

from __future__ import annotations

from typing import Any

from django.template import Node, NodeList, Template
from django.template.base import Variable
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.utils.translation import get_language


class ConstantTranslateNode(Node):
    """A ``{% translate "constant" %}``: its original node's output, kept per language."""

    child_nodelists = ()

    def __init__(self, node: TranslateNode) -> None:
        self.node = node
        self.token = node.token
        self.origin = node.origin
        self.texts: dict[tuple[str | None, bool], str] = {}

    def render(self, context: Any) -> str:
        key = (get_language(), context.autoescape)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.node.render(context)
        return text


def _constant(node: TranslateNode) -> bool:
    expression = node.filter_expression
    var = expression.var
    return (
        node.asvar is None
        and node.message_context is None
        and not expression.filters
        and isinstance(var, Variable)
        and var.literal is not None
        and var.lookups is None
    )


def _nodelists(node: Node) -> list[NodeList]:
    """Every node list a node holds: ``nodelist``, ``nodelist_loop``…, and the branches of
    ``{% if %}`` (``conditions_nodelists``: pairs of a condition and a node list)."""
    found: list[NodeList] = []
    for value in vars(node).values():
        if isinstance(value, NodeList):
            found.append(value)
        elif isinstance(value, list | tuple):
            for entry in value:
                if isinstance(entry, NodeList):
                    found.append(entry)
                elif isinstance(entry, tuple):
                    found.extend(e for e in entry if isinstance(e, NodeList))
    return found


def fold_translations(nodelist: NodeList) -> int:
    """Replace each constant ``{% translate %}`` of ``nodelist`` and the lists within it;
    returns how many were replaced."""
    folded = 0
    for index, node in enumerate(nodelist):
        if type(node) is TranslateNode and _constant(node):
            nodelist[index] = ConstantTranslateNode(node)
            folded += 1
        else:
            for inner in _nodelists(node):
                folded += fold_translations(inner)
    return folded


class Loader(cached.Loader):
    """``django.template.loaders.cached.Loader`` whose templates have their constant
    translations folded the first time each is loaded."""

    def get_template(self, template_name: str, skip: Any = None) -> Template:
        template = super().get_template(template_name, skip)
        if not getattr(template, "_gk_translations_folded", False):
            fold_translations(template.nodelist)
            template._gk_translations_folded = True  # type: ignore[attr-defined]
        return template
