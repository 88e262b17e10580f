"""Default reply-letter texts per reply kind (seeded into `ReplyTemplate`, editable by staff).

Placeholders: {applicant} {received} {reference} {info} {organisation} {facts} {detail};
{facts} is the kind's own facts in sentences (``reply_kinds.facts_text``).
The remedy periods (行政复议 60 日 under 行政复议法第二十条, 行政诉讼 6 个月 under 行政诉讼法第
四十六条) are the usual wording but the rules note marks them unverified for reply letters
(ogi-rules.md §1.6 Art. 51): agencies must check and may edit them in the template.
"""

OPENING = (
    "本机关于{received}收到您提出的政府信息公开申请（申请编号：{reference}），申请获取“{info}”。"
)

DEFAULT_REMEDY = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议，"
    "或者自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
)

# 行政复议法 (2023 revision, in force 2024-01-01) 第二十三条第一款第（四）项: when an agency
# does not disclose (申请政府信息公开，行政机关不予公开) the applicant must apply for 行政复议
# first and may sue only against the review decision (复议前置). The letters that withhold —
# 部分公开, the 不予公开 kinds of 第三十六条第（三）项 and 第（七）项 (counted under (三)) — say so;
# telling an applicant "review first" never closes a road the law leaves open, while "or sue"
# would send them to a court that turns the case away. From the statute's text, not from the
# rules note (which marks remedy wording unverified): agencies may edit it per template.
REVIEW_FIRST_REMEDY = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
    "（《中华人民共和国行政复议法》第二十三条）。"
)

REVIEW_FIRST_KINDS = frozenset({"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "36.7"})


def default_remedy(kind: str) -> str:
    """The remedy sentence a default letter of this reply kind ends with."""
    return REVIEW_FIRST_REMEDY if kind in REVIEW_FIRST_KINDS else DEFAULT_REMEDY


# reply kind (models.ReplyKind) → (body, legal basis)
DEFAULTS: dict[str, tuple[str, str]] = {
    "36.1": (
        OPENING + "经审查，您申请获取的政府信息已经主动公开。{facts}{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    ),
    "1": (
        OPENING + "经审查，您申请获取的政府信息属于公开范围，现予以公开，具体见附件。{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    ),
    "2": (
        OPENING + "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，"
        "现向您提供可以公开的部分。对不予公开的部分，理由如下：{detail}",
        "《中华人民共和国政府信息公开条例》第三十七条",
    ),
    "3.1": (
        OPENING + "经审查，您申请获取的政府信息属于国家秘密，依法不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ),
    "3.2": (
        OPENING + "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，"
        "依法不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ),
    "3.3": (
        OPENING + "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、"
        "社会稳定，依法不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ),
    "3.4": (
        OPENING + "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益"
        "造成损害，依法不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项",
    ),
    "3.5": (
        OPENING + "经审查，您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，"
        "依法可以不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    ),
    "3.6": (
        OPENING + "经审查，您申请获取的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，"
        "依法可以不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    ),
    "3.7": (
        OPENING + "经审查，您申请获取的信息属于行政执法案卷信息，依法可以不予公开。{detail}",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    ),
    "36.7": (
        OPENING + "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的信息，"
        "本机关不作为政府信息公开申请提供。{facts}{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    ),
    "36.4": (
        OPENING + "经检索，本机关未制作或获取该政府信息，该政府信息不存在。{facts}{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    ),
    "36.5": (
        OPENING + "经审查，您申请公开的信息不属于本机关负责公开的政府信息。{facts}{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（五）项",
    ),
    "4.2": (
        OPENING + "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析，"
        "本机关可以不予提供。{detail}",
        "《中华人民共和国政府信息公开条例》第三十八条",
    ),
    "4.3": (
        OPENING + "本机关已告知您补正申请，经补正后您的申请内容仍不明确，本机关无法提供。{detail}",
        "《中华人民共和国政府信息公开条例》第三十条",
    ),
    "5.1": (
        OPENING + "经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，"
        "本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。{detail}",
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
    ),
    "36.6": (
        OPENING + "经审查，您已就同一政府信息重复申请公开，本机关已依法作出答复，"
        "且该政府信息未发生变化，不予重复处理。{facts}{detail}",
        "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    ),
    "5.3": (
        OPENING + "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物，请通过相应的出版发行"
        "渠道获取。{detail}",
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
    ),
    "5.4": (
        OPENING + "经审查，您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，"
        "本机关不予处理。{detail}",
        "《中华人民共和国政府信息公开条例》第三十五条",
    ),
    "5.5": (
        OPENING + "经审查，您的申请系要求本机关确认或重新出具已获取的信息，"
        "不属于政府信息公开申请的处理范围，本机关不予处理。{detail}",
        "《中华人民共和国政府信息公开条例》第二条",
    ),
    "6.3": (OPENING + "{detail}", "《中华人民共和国政府信息公开条例》"),
}
