"""Demo data of the registers: the 市场监管局's 权责清单 (with its 动态调整 history), a public
service list and a fee list, 重大建设项目 at each phase with their stage information, and the
city's 整改台账. Published through the services with the audited ``without_review`` reason
(content the agency published before Gongkai)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from gongkai.registers import services

HISTORY = "演示数据：接入平台前已发布的历史内容"
D = datetime.date

# 权责清单 of 杭东市市场监督管理局: (事项名称, 类别, 设定依据, 责任事项, 追责情形).
POWERS = [
    ("企业登记注册", "许可", "《中华人民共和国市场主体登记管理条例》第三条"),
    ("食品经营许可", "许可", "《中华人民共和国食品安全法》第三十五条"),
    ("特种设备使用登记", "许可", "《中华人民共和国特种设备安全法》第三十三条"),
    ("工业产品生产许可证核发", "许可", "《中华人民共和国工业产品生产许可证管理条例》第二条"),
    (
        "对未取得食品经营许可从事食品经营活动的处罚",
        "处罚",
        "《中华人民共和国食品安全法》第一百二十二条",
    ),
    ("对经营不符合食品安全标准食品的处罚", "处罚", "《中华人民共和国食品安全法》第一百二十四条"),
    ("对虚假广告行为的处罚", "处罚", "《中华人民共和国广告法》第五十五条"),
    ("对不正当竞争行为的处罚", "处罚", "《中华人民共和国反不正当竞争法》第二十条"),
    ("对价格违法行为的处罚", "处罚", "《中华人民共和国价格法》第三十九条"),
    ("查封、扣押不符合食品安全标准的食品", "强制", "《中华人民共和国食品安全法》第一百一十条"),
    ("查封、扣押存在严重事故隐患的特种设备", "强制", "《中华人民共和国特种设备安全法》第六十一条"),
    ("食品生产经营日常监督检查", "检查", "《中华人民共和国食品安全法》第一百一十条"),
    ("计量器具监督检查", "检查", "《中华人民共和国计量法》第十八条"),
    ("企业年度报告公示抽查", "检查", "《企业信息公示暂行条例》第十四条"),
    ("对举报食品安全违法行为的奖励", "奖励", "《中华人民共和国食品安全法》第一百一十五条"),
    ("商标侵权纠纷行政裁决", "裁决", "《中华人民共和国商标法》第六十条"),
]
DUTIES = (
    "1.受理责任：公示依法应当提交的材料。2.审查责任：依法审查。"
    "3.决定责任：作出决定并送达。4.监管责任：加强事中事后监管。"
)
ACCOUNTABILITY = (
    "1.对符合条件不予受理、不予决定或不在法定期限内作出决定的；"
    "2.滥用职权、玩忽职守的；3.其他违反法律法规规章规定的行为。"
)

SERVICES = [
    ("消费投诉举报受理", "《中华人民共和国消费者权益保护法》第三十九条", "市12315投诉举报中心"),
    ("企业信用信息查询", "《企业信息公示暂行条例》第六条", "市市场监管局信用监管处"),
    ("计量检定咨询服务", "《中华人民共和国计量法》第九条", "市计量检定测试院"),
]
FEES = [
    (
        "特种设备检验检测费",
        "《特种设备安全法》第五十一条；浙价费〔2019〕12号",
        "按设备类别，每台次200–1800元",
    ),
    ("计量器具强制检定费", "财税〔2017〕20号", "免收（2017年4月1日起停征）"),
]

# 重大建设项目: (name, owner, location, district, industry, investment 万元, phase, year,
# involves land, stages published)
PROJECTS: list[tuple[str, str, str, str, str, str, str, int, bool, list[str]]] = [
    (
        "杭东市城市快速路二期工程",
        "杭东市城市建设投资集团有限公司",
        "西湖区文一西路至留祥路",
        "西湖区",
        "交通运输",
        "356000",
        "construction",
        2024,
        True,
        ["approval_service", "approval_result", "tendering", "land", "construction", "supervision"],
    ),
    (
        "杭东市第二水厂扩建工程",
        "杭东市水务集团有限公司",
        "西湖区三墩镇",
        "西湖区",
        "水利",
        "86000",
        "construction",
        2025,
        False,
        ["approval_service", "approval_result", "tendering", "construction"],
    ),
    (
        "杭东市人民医院新院区",
        "杭东市卫生健康委员会",
        "上城区九堡街道",
        "上城区",
        "卫生健康",
        "218000",
        "approval",
        2025,
        True,
        ["approval_service"],
    ),
    (
        "杭东市职业教育实训基地",
        "杭东市教育局",
        "西湖区转塘街道",
        "西湖区",
        "教育",
        "42000",
        "approval",
        2026,
        False,
        ["approval_service", "approval_result"],
    ),
    (
        "杭东市垃圾焚烧发电厂提标改造",
        "杭东市环境集团有限公司",
        "上城区丁桥镇",
        "上城区",
        "生态环保",
        "64000",
        "completed",
        2023,
        False,
        [
            "approval_service",
            "approval_result",
            "tendering",
            "design_change",
            "construction",
            "supervision",
            "completion",
        ],
    ),
    (
        "杭东市体育中心",
        "杭东市文化广电旅游体育局",
        "西湖区之江路",
        "西湖区",
        "文化体育",
        "158000",
        "completed",
        2022,
        True,
        [
            "approval_service",
            "approval_result",
            "tendering",
            "land",
            "construction",
            "supervision",
            "completion",
        ],
    ),
]
STAGE_TITLES = {
    "approval_service": "项目审批办事指南及申报材料清单",
    "approval_result": "关于项目可行性研究报告的批复",
    "tendering": "施工总承包招标公告及中标结果公示",
    "land": "征收土地预公告及补偿安置方案",
    "design_change": "关于调整主体结构设计的批复",
    "construction": "施工单位、项目经理及开工日期公示",
    "supervision": "质量安全监督检查情况通报",
    "completion": "竣工验收备案情况公示",
}

RECTIFICATIONS = [
    (
        "third_party",
        "2025年度政府网站第三方测评问题清单",
        "政策解读栏目部分文件未同步发布解读材料",
        "政务公开科",
        "办公室、法规处",
        D(2025, 9, 1),
        "closed",
    ),
    (
        "superior",
        "省政务公开办2025年第3季度检查通报",
        "政府信息公开指南未更新办公地址和联系电话",
        "政务公开科",
        "",
        D(2025, 9, 20),
        "done",
    ),
    (
        "third_party",
        "2025年度政府网站第三方测评问题清单",
        "部分栏目存在错误链接",
        "政务公开科",
        "市大数据局",
        D(2025, 10, 9),
        "open",
    ),
    (
        "superior",
        "市委督查室督办单",
        "重大建设项目批准结果信息公开不全",
        "市发展改革委",
        "市自然资源规划局",
        D(2026, 1, 5),
        "open",
    ),
]


def _publish_adjustment(
    org: Any,
    user: Any,
    kind: str,
    action: str,
    on: datetime.date,
    values: dict,
    entry: Any = None,
    reason: str = "清单初次公布",
    basis: str = "杭政办发〔2024〕15号",
    delegated_to: str = "",
) -> Any:
    adjustment = services.adjustment_create(
        organisation=org,
        list_kind=kind,
        action=action,
        entry=entry,
        effective_date=on,
        reason=reason,
        legal_basis=basis,
        values=values,
        acting_user=user,
        delegated_to=delegated_to,
    )
    return services.adjustment_publish(
        adjustment=adjustment, acting_user=user, on=on, without_review=HISTORY
    )


def _lists(org: Any, user: Any) -> int:
    count = 0
    entries = {}
    for name, category, basis in POWERS:
        adjustment = _publish_adjustment(
            org, user, "powers", "add", D(2024, 3, 1),
            {"name": name, "category": category, "basis": basis, "implementer": org.name,
             "duties": DUTIES, "accountability": ACCOUNTABILITY},
        )  # fmt: skip
        entries[name] = adjustment.entry
        count += 1
    # 动态调整: 2025年 one power is delegated to the districts, one cancelled, one renamed.
    _publish_adjustment(
        org, user, "powers", "delegate", D(2025, 1, 1), {}, entries["计量器具监督检查"],
        "按照“放管服”改革要求，将计量器具监督检查下放至区县实施", "杭政发〔2024〕32号",
        delegated_to="各区县市场监督管理局",
    )  # fmt: skip
    _publish_adjustment(
        org, user, "powers", "cancel", D(2025, 4, 1), {}, entries["工业产品生产许可证核发"],
        "国务院决定取消部分工业产品生产许可证管理", "国发〔2024〕8号",
    )  # fmt: skip
    _publish_adjustment(
        org, user, "powers", "change", D(2025, 7, 1),
        {"name": "对经营不符合食品安全标准的食品、食品添加剂的处罚", "category": "处罚",
         "basis": "《中华人民共和国食品安全法》（2021年修正）第一百二十四条",
         "implementer": org.name, "duties": DUTIES, "accountability": ACCOUNTABILITY},
        entries["对经营不符合食品安全标准食品的处罚"],
        "依据修正后的食品安全法调整事项名称和设定依据",
        "《中华人民共和国食品安全法》（2021年修正）",
    )  # fmt: skip
    for name, basis, implementer in SERVICES:
        _publish_adjustment(
            org, user, "services", "add", D(2024, 3, 1),
            {"name": name, "basis": basis, "implementer": implementer},
        )  # fmt: skip
        count += 1
    for name, basis, standard in FEES:
        _publish_adjustment(
            org, user, "fees", "add", D(2024, 3, 1),
            {"name": name, "basis": basis, "standard": standard},
        )  # fmt: skip
        count += 1
    return count


def _projects(org: Any, user: Any) -> int:
    for name, owner, location, district, industry, money, phase, year, land, stages in PROJECTS:
        project = services.project_create(
            organisation=org,
            values={
                "name": name, "owner": owner, "location": location, "district": district,
                "industry": industry, "investment": Decimal(money), "phase": phase,
                "year": year, "involves_land": land,
                "summary": f"{name}，总投资约{int(Decimal(money)) // 10000}亿元。",
            },
            acting_user=user,
        )  # fmt: skip
        published_on = D(year, 3, 15)
        services.project_publish(
            project=project, acting_user=user, on=published_on, without_review=HISTORY
        )
        for n, stage in enumerate(stages):
            item_date = published_on + datetime.timedelta(days=45 * n)
            item = services.stage_item_create(
                project=project,
                stage=stage,
                title=STAGE_TITLES[stage],
                item_date=item_date,
                url=f"https://www.hangdong.gov.cn/art/{item_date:%Y/%m/%d}/{project.pk}{n}.html",
                acting_user=user,
            )
            services.stage_item_publish(
                item=item, acting_user=user, on=item_date, without_review=HISTORY
            )
    return len(PROJECTS)


def _rectifications(org: Any, user: Any, admin: Any) -> int:
    for source, label, problem, lead, supporting, found, state in RECTIFICATIONS:
        item = services.rectification_create(
            organisation=org,
            source=source,
            source_label=label,
            problem=problem,
            found_on=found,
            lead_unit=lead,
            supporting_units=supporting,
            period_workdays=15,
            acting_user=user,
        )
        if state in ("done", "closed"):
            services.rectification_progress(
                item=item,
                measures="逐项核对并完成修改，建立定期检查机制",
                evidence="整改后页面截图及发布链接已归档",
                done=True,
                acting_user=user,
            )
        if state == "closed":
            services.rectification_close(item=item, acting_user=admin)
    return len(RECTIFICATIONS)


SPOT_RESULTS = [
    ("杭东市诚信招标代理有限公司", "未发现问题", ""),
    ("杭东市正达项目管理有限公司", "发现问题", "代理档案不完整，责令限期改正，已整改"),
    ("杭东市恒信会计师事务所", "未发现问题", ""),
    ("杭东市明德会计师事务所", "发现问题", "审计底稿缺失，依据《会计法》第四十二条给予警告"),
]

# 建议提案: (kind, number, title, proposer, co-organisers, mode, reply date or None)
PROPOSALS = [
    (
        "npc",
        "第0012号",
        "关于加快老旧小区加装电梯的建议",
        "王建国代表",
        ["czj"],
        "full",
        D(2025, 5, 28),
    ),
    (
        "npc",
        "第0047号",
        "关于优化营商环境、减轻企业负担的建议",
        "李秀梅代表",
        ["scjgj", "fgw"],
        "summary",
        D(2025, 6, 5),
    ),
    (
        "npc",
        "第0103号",
        "关于加强中小学课后服务的建议",
        "陈明代表",
        ["jyj"],
        "full",
        D(2025, 6, 20),
    ),
    (
        "cppcc",
        "第0021号",
        "关于推进城市更新中历史建筑保护的提案",
        "张华委员",
        [],
        "none",
        D(2025, 6, 9),
    ),
    ("cppcc", "第0088号", "关于完善公共法律服务体系的提案", "刘洋委员", [], "full", None),
]


def _spotchecks(org: Any, user: Any) -> int:
    matter = services.spot_matter_create(
        organisation=org,
        name="政府采购代理机构监督检查",
        basis="《中华人民共和国政府采购法》第五十九条",
        targets="在本市登记从事政府采购代理业务的机构",
        method="双随机抽查、书面审查",
        acting_user=user,
    )
    second = services.spot_matter_create(
        organisation=org,
        name="会计师事务所执业质量检查",
        basis="《中华人民共和国会计法》第三十三条",
        targets="本市会计师事务所",
        method="双随机抽查、现场检查",
        acting_user=user,
    )
    plan = services.spot_plan_create(
        organisation=org,
        year=2025,
        title="杭东市财政局2025年度“双随机、一公开”抽查工作计划",
        body="抽查比例不低于检查对象总数的5%，检查结果在抽查完成后20个工作日内公开。",
        acting_user=user,
    )
    published = [matter, second, plan]
    for n, (target, result, handling) in enumerate(SPOT_RESULTS):
        published.append(
            services.spot_result_create(
                plan=plan,
                target=target,
                matter=matter.name if n < 2 else second.name,
                checked_on=D(2025, 6, 10 + n),
                result=result,
                handling=handling,
                acting_user=user,
            )
        )
    for obj in published:
        services.record_publish(obj=obj, acting_user=user, on=D(2025, 7, 1), without_review=HISTORY)
    return len(SPOT_RESULTS)


def _proposals(orgs: dict[str, Any], user: Any) -> int:
    org = orgs["city"]
    for kind, number, title, proposer, co, mode, replied in PROPOSALS:
        proposal = services.proposal_create(
            organisation=org,
            kind=kind,
            year=2025,
            number=number,
            title=title,
            proposer=proposer,
            received_on=D(2025, 3, 20),
            co_organisations=[orgs[key] for key in co],
            acting_user=user,
        )
        if replied is None:
            continue  # still being handled
        services.proposal_reply(
            proposal=proposal,
            reply=f"{proposer}：您提出的《{title}》收悉。经会同有关单位认真研究，现答复如下：……",
            replied_on=replied,
            mode=mode,
            summary="建议已被采纳，相关措施已纳入2025年工作计划并组织实施。"
            if mode == "summary"
            else "",
            reason="复文涉及尚在研究论证的过程性信息（条例第十六条第二款）"
            if mode == "none"
            else "",
            acting_user=user,
        )
        services.record_publish(obj=proposal, acting_user=user, on=replied, without_review=HISTORY)
    return len(PROPOSALS)


# The city's 2026 政务公开工作要点 as tasks: (task, source, lead, supporting, deadline, done).
WORK_TASKS = [
    (
        "围绕稳就业、稳市场主体加大政策公开解读力度",
        "工作要点第一条",
        "市政府办公厅",
        "市发展改革委、市人力社保局",
        D(2026, 12, 31),
        False,
    ),
    (
        "做好重大建设项目批准和实施领域信息公开",
        "工作要点第二条",
        "市发展改革委",
        "市自然资源规划局、市住房城乡建设局",
        D(2026, 9, 30),
        True,
    ),
    (
        "动态调整权责清单、公共服务清单",
        "工作要点第三条",
        "市市场监管局",
        "市司法局、各部门",
        D(2026, 6, 30),
        True,
    ),
    (
        "规范依申请公开办理，按期答复率达到100%",
        "工作要点第四条",
        "市政府办公厅",
        "各部门",
        D(2026, 12, 31),
        False,
    ),
    (
        "开展政务公开业务培训，年内不少于1次",
        "工作要点第六条",
        "市政府办公厅",
        "市委党校",
        D(2026, 10, 31),
        True,
    ),
]
TRAININGS = [
    ("city", D(2025, 5, 16), "《政府信息公开条例》实务", "各部门政务公开工作人员", 86),
    ("city", D(2026, 4, 23), "政策解读与回应关切", "各部门政务公开工作人员", 92),
    ("xihu", D(2026, 6, 12), "基层政务公开标准化规范化", "各街道、部门联络员", 54),
    ("czj", D(2025, 9, 3), "预决算公开规范", "各预算单位财务人员", 120),
]


def _ledger(orgs: dict[str, Any], staff_users: dict[str, Any]) -> int:
    city, user = orgs["city"], staff_users["city_editor"]
    for title, source, lead, supporting, deadline, done in WORK_TASKS:
        task = services.work_task_create(
            organisation=city,
            year=2026,
            title=title,
            source=f"《杭东市2026年政务公开工作要点》{source}",
            lead_unit=lead,
            supporting_units=supporting,
            deadline=deadline,
            acting_user=user,
        )
        services.work_task_progress(
            task=task,
            progress="已按计划完成并报送总结材料。" if done else "按季度推进，已完成阶段性任务。",
            done=done,
            acting_user=user,
        )
    for key, held_on, topic, audience, participants in TRAININGS:
        editor = staff_users["city_editor" if key == "city" else f"{key}_editor"]
        services.training_record(
            organisation=orgs[key],
            held_on=held_on,
            topic=topic,
            audience=audience,
            participants=participants,
            acting_user=editor,
        )
    return len(WORK_TASKS)


def build_registers(world: Any) -> None:
    """清单, 重大建设项目, 整改台账, 双随机一公开, 建议提案 and the work ledger."""
    build_register_records(world.orgs, world.staff_users)


def build_register_records(orgs: dict[str, Any], staff_users: dict[str, Any]) -> dict[str, int]:
    lists = _lists(orgs["scjgj"], staff_users["scjgj_editor"])
    projects = _projects(orgs["fgw"], staff_users["fgw_editor"])
    rectifications = _rectifications(
        orgs["city"], staff_users["city_editor"], staff_users["city_admin"]
    )
    spot_results = _spotchecks(orgs["czj"], staff_users["czj_editor"])
    proposals = _proposals(orgs, staff_users["city_editor"])
    tasks = _ledger(orgs, staff_users)
    return {
        "work_tasks": tasks,
        "spotcheck_results": spot_results,
        "proposals": proposals,
        "register_entries": lists,
        "major_projects": projects,
        "rectifications": rectifications,
    }
