"""The platform's editable lists of names — 主题分类, 服务对象, 企业资质 (issue 15 item 7) — share
one save and one delete shape, so each owning app's service only says what differs (which
rows a name must be unique among, which relation counts as "documents").

* A save strips the name, refuses an empty or duplicate one with a Chinese error on the field,
  writes nothing when nothing changed, and records the change (old → new) in the audit trail.
* A delete is refused while anything still points at the term — documents first, then every
  other table (subscriptions, 政策找人 profiles …) found through the model's reverse relations,
  so a relation added later is counted without touching this code. Deleting would otherwise
  cascade into people's subscriptions or be blocked half-way by a PROTECT foreign key.

Callers run these inside their ``transaction.atomic`` service and check the permission first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .models import AuditEntry
from .services import audit_record


def term_save[M: models.Model](
    *,
    instance: M,
    created: bool,
    values: dict[str, Any],
    siblings: models.QuerySet[Any],
    what: str,
    acting_user: Any,
) -> M:
    """Apply ``values`` (``name`` and an order field) to ``instance`` and save it, audited.

    ``siblings`` are the rows the name must be unique among (the caller's scope: the whole
    list, or a 主题分类's level). Returns ``instance`` unchanged when nothing differs."""
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise ValidationError({"name": _("请填写%(what)s名称") % {"what": what}})
        clash = siblings.filter(name=values["name"])
        if not created:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError(
                {"name": _("已有名为“%(n)s”的%(what)s") % {"n": values["name"], "what": what}}
            )
    before = {} if created else {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    changes = {
        name: {"old": before[name], "new": value}
        for name, value in values.items()
        if not created and before[name] != value
    }
    if not created and not changes:
        return instance
    instance.save()
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=instance,
        detail={"list": what, "values": {k: _plain(v) for k, v in values.items()}}
        if created
        else {"list": what, "changes": changes},
    )
    return instance


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, models.Model) else value


def term_uses(
    instance: models.Model, *, skip: Iterable[type[models.Model]] = ()
) -> dict[type[models.Model], int]:
    """How many rows of each model point at ``instance`` (foreign keys and many-to-many,
    hidden ``related_name="+"`` ones included), zero counts left out."""
    skipped = set(skip)
    counts: dict[type[models.Model], int] = {}
    for rel in instance._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model = rel.related_model
        # The auto-created through table of a many-to-many is counted through its field.
        if model is None or model._meta.auto_created or model in skipped:
            continue
        field_name = rel.field.name  # type: ignore[union-attr]  # reverse relations have a field
        n = model._base_manager.filter(**{field_name: instance}).count()
        if n:
            counts[model] = counts.get(model, 0) + n
    return counts


def term_delete(
    *,
    instance: models.Model,
    what: str,
    documents: type[models.Model],
    skip: Iterable[type[models.Model]] = (),
    acting_user: Any,
) -> None:
    """Delete ``instance``, audited — refused while anything uses it (the message names how
    many ``documents`` and how many rows of every other kind)."""
    uses = term_use_problem(instance=instance, what=what, documents=documents, skip=skip)
    if uses:
        raise ValidationError(uses)
    label = str(instance)
    audit_record(
        action=AuditEntry.Action.DELETE,
        acting_user=acting_user,
        target=instance,
        target_label=label,
        detail={"list": what, "name": label},
    )
    instance.delete()


def term_use_problem(
    *,
    instance: models.Model,
    what: str,
    documents: type[models.Model],
    skip: Iterable[type[models.Model]] = (),
) -> str:
    """The Chinese refusal when ``instance`` is in use, else ""."""
    counts = term_uses(instance, skip=skip)
    if not counts:
        return ""
    n_documents = counts.pop(documents, 0)
    others = "、".join(
        _("%(what)s%(n)d条") % {"what": model._meta.verbose_name, "n": n}
        for model, n in sorted(counts.items(), key=lambda pair: str(pair[0]._meta.verbose_name))
    )
    names = {"what": what, "name": str(instance), "n": n_documents, "others": others}
    if n_documents and others:
        return (
            _("%(what)s“%(name)s”已被%(n)d份文件使用（另有%(others)s），不能删除；未作任何修改。")
            % names
        )
    if n_documents:
        return _("%(what)s“%(name)s”已被%(n)d份文件使用，不能删除；未作任何修改。") % names
    return _("%(what)s“%(name)s”正被使用（%(others)s），不能删除；未作任何修改。") % names
