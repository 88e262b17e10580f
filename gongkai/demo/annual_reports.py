"""The demo's 政府信息公开工作年度报告 for 2024 and 2025: every organisation that handles
依申请公开 applications (it has a 依申请公开经办人) reports on each year, computed from its own
records by the reports service, submitted by its 政务公开管理员 and approved through the review
chain — what staff do on the 年度报告 page. Built last: a report is frozen when submitted, so
every case and item it counts must exist by then.

A government with a subordinate government publishes both 统计范围 (含下级政府 and 本级政府及其
部门, to show the difference), another government its 含下级政府 report, a department its own
(本机关)."""

import datetime

from gongkai.accounts.models import Organisation, User
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport

from .orgs import ORG_BY_KEY, ORGS, REPORT_YEARS, STAFF
from .reviewing import approve_every_level

# 条例第四十九条: a department publishes its report on a year by 31 January of the next, a
# government by 31 March; the demo's administrators write theirs on the 20th of that month.
WRITTEN_ON = {"department": (1, 20), "government": (3, 20)}

# 行政许可 / 行政处罚 / 行政强制 decisions of the year, each organisation's own (表二's entered
# figures: the platform does not hold those records). 2024 figures; 2025 in the next column.
# A government's report of a wider scope enters the sum of its members' figures.
ENTERED: dict[str, dict[int, tuple[int, int, int]]] = {
    "city": {2024: (9, 0, 0), 2025: (12, 0, 0)},
    "fgw": {2024: (251, 7, 0), 2025: (286, 9, 0)},
    "czj": {2024: (38, 15, 0), 2025: (41, 17, 0)},
    "jyj": {2024: (127, 4, 0), 2025: (133, 6, 0)},
    "scjgj": {2024: (2214, 468, 31), 2025: (2460, 512, 38)},
    "xihu": {2024: (362, 104, 12), 2025: (398, 121, 14)},
    "xihu_jyj": {2024: (49, 2, 0), 2025: (57, 3, 0)},
}
OVERVIEW = (
    "{year}年，{name}深入贯彻《中华人民共和国政府信息公开条例》，坚持“以公开为常态、"
    "不公开为例外”，围绕中心工作加大主动公开力度，规范办理依申请公开，持续加强政府信息管理"
    "和政府信息公开平台建设，政务公开工作取得新进展。"
)
PROBLEMS = {
    2024: "一是政策解读的针对性还不够强，部分解读与政策文件同步发布不够及时；"
    "二是依申请公开答复的说理还需加强。下一步将落实解读与文件同步审签，"
    "组织依申请公开答复书规范化培训。",
    2025: "一是政策解读形式还不够丰富，图解、视频等解读占比不高；二是部分部门信息更新不够及时。"
    "下一步将加强培训指导，完善信息发布审核和更新机制。",
}


def _handles_applications() -> list[str]:
    """The organisations with a 依申请公开经办人, in the tree's order."""
    keys = {org_key for _u, _n, org_key, role, *_rest in STAFF if role == "foi_handler"}
    return [org.key for org in ORGS if org.key in keys]


def _scopes(org_key: str) -> list[str]:
    spec = ORG_BY_KEY[org_key]
    if spec.kind != "government":
        return [AnnualReport.Scope.OWN]
    if any(o.parent == org_key and o.kind == "government" for o in ORGS):
        return [AnnualReport.Scope.ALL, AnnualReport.Scope.LEVEL]
    return [AnnualReport.Scope.ALL]


def _members(org_key: str, scope: str) -> list[str]:
    """The organisations a report's entered figures add up (the 统计范围 of reports.annual)."""
    if scope == AnnualReport.Scope.OWN:
        return [org_key]
    members = [org_key]
    for child in (o for o in ORGS if o.parent == org_key):
        if child.kind == "government" and scope == AnnualReport.Scope.LEVEL:
            continue
        members += _members(child.key, AnnualReport.Scope.ALL)
    return members


def _administrator(org_key: str, staff: dict[str, User]) -> User:
    """The 政务公开管理员 who keeps the organisation: its own, else the nearest above it (the
    demo's departments are administered by their government's, 含下级机构)."""
    key: str | None = org_key
    while key is not None:
        if f"{key}_admin" in staff:
            return staff[f"{key}_admin"]
        key = ORG_BY_KEY[key].parent
    raise LookupError(f"no administrator above {org_key}")


def planned_reports() -> list[tuple[int, str, str]]:
    """(year, organisation key, 统计范围) of every report the demo publishes, in build order."""
    return [
        (year, org_key, scope)
        for year in REPORT_YEARS
        for org_key in _handles_applications()
        for scope in _scopes(org_key)
    ]


def publish_annual_reports(orgs: dict[str, Organisation], staff: dict[str, User]) -> int:
    plan = planned_reports()
    for year, org_key, scope in plan:
        organisation, admin = orgs[org_key], _administrator(org_key, staff)
        entered = [ENTERED[key][year] for key in _members(org_key, scope)]
        report = report_services.annual_report_save(
            organisation=organisation,
            year=year,
            scope=scope,
            data={
                "overview": OVERVIEW.format(year=year, name=organisation.name),
                "problems": PROBLEMS[year],
                "licensing_decisions": sum(e[0] for e in entered),
                "penalty_decisions": sum(e[1] for e in entered),
                "enforcement_decisions": sum(e[2] for e in entered),
            },
            acting_user=admin,
        )
        item = report_services.annual_report_submit(
            report=report,
            acting_user=admin,
            on=datetime.date(year + 1, *WRITTEN_ON[ORG_BY_KEY[org_key].kind]),
        )
        approve_every_level(item, submitted_by=admin)
    return len(plan)
