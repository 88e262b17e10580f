"""The demo governments' 2025 annual reports, written, submitted and approved through the real
services, so the portal's 公开年报 page, the report pages and the public API have something to
show. Built last: a report is frozen when submitted, so every 2025 case must exist by then."""

import datetime

from gongkai.accounts.models import Organisation, User
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport
from gongkai.review.chain_services import review_decide, review_request_for

REPORT_YEAR = 2025
# (organisation, 统计范围, its administrator, reviewer by level): the city publishes both
# scopes (全市 and 市本级) to show the difference; the district its 全区 report.
REPORTS = [
    ("city", AnnualReport.Scope.ALL, "city_admin", "city_reviewer"),
    ("city", AnnualReport.Scope.LEVEL, "city_admin", "city_reviewer"),
    ("xihu", AnnualReport.Scope.ALL, "xihu_admin", "xihu_reviewer"),
]
OVERVIEW = (
    "{year}年，{name}深入贯彻《中华人民共和国政府信息公开条例》，坚持“以公开为常态、"
    "不公开为例外”，围绕中心工作加大主动公开力度，规范办理依申请公开，持续加强政府信息管理"
    "和政府信息公开平台建设，政务公开工作取得新进展。"
)
PROBLEMS = (
    "一是政策解读形式还不够丰富，图解、视频等解读占比不高；二是部分部门信息更新不够及时。"
    "下一步将加强培训指导，完善信息发布审核和更新机制。"
)


def publish_annual_reports(orgs: dict[str, Organisation], staff: dict[str, User]) -> int:
    for org_key, scope, admin_name, reviewer_prefix in REPORTS:
        organisation, admin = orgs[org_key], staff[admin_name]
        report = report_services.annual_report_save(
            organisation=organisation,
            year=REPORT_YEAR,
            scope=scope,
            data={
                "overview": OVERVIEW.format(year=REPORT_YEAR, name=organisation.name),
                "problems": PROBLEMS,
                "licensing_decisions": 1260 if scope == AnnualReport.Scope.ALL else 815,
                "penalty_decisions": 342 if scope == AnnualReport.Scope.ALL else 198,
                "enforcement_decisions": 27 if scope == AnnualReport.Scope.ALL else 11,
            },
            acting_user=admin,
        )
        item = report_services.annual_report_submit(
            report=report, acting_user=admin, on=datetime.date(REPORT_YEAR + 1, 3, 20)
        )
        request = review_request_for(item)
        while request is not None and request.state == "in_review":
            reviewer = staff[f"{reviewer_prefix}{request.level}"]
            review_decide(request=request, decision="approve", acting_user=reviewer)
            request.refresh_from_db()
    return len(REPORTS)
