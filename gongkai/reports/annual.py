"""The annual report tables of the 2021 national format (国办公开办函〔2021〕30号) — pure rules.

Labels are verbatim from the format (rules note §3.3–3.5); the row keys are the contract of the
JSON output (`gongkai annual_report`, `/api/v1/reports/annual/{year}`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural",
    "business",
    "research",
    "nonprofit",
    "legal_service",
    "other",
)
COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, "total")
COLUMN_LABELS: dict[str, str] = {
    "natural": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}

# Outcome codes are the numbered rows of table 三; the group heading rows carry no numbers.
OUTCOME_LABELS: dict[str, str] = {
    "1": "（一）予以公开",
    "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.1": "1.属于国家秘密",
    "3.2": "2.其他法律行政法规禁止公开",
    "3.3": "3.危及“三安全一稳定”",
    "3.4": "4.保护第三方合法权益",
    "3.5": "5.属于三类内部事务信息",
    "3.6": "6.属于四类过程性信息",
    "3.7": "7.属于行政执法案卷",
    "3.8": "8.属于行政查询事项",
    "4.1": "1.本机关不掌握相关政府信息",
    "4.2": "2.没有现成信息需要另行制作",
    "4.3": "3.补正后申请内容仍不明确",
    "5.1": "1.信访举报投诉类申请",
    "5.2": "2.重复申请",
    "5.3": "3.要求提供公开出版物",
    "5.4": "4.无正当理由大量反复申请",
    "5.5": "5.要求行政机关确认或重新出具已获取信息",
    "6.1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "6.2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "6.3": "3.其他",
}
OUTCOME_CODES: tuple[str, ...] = tuple(OUTCOME_LABELS)
GROUP_HEADINGS: dict[str, str] = {
    "3": "（三）不予公开",
    "4": "（四）无法提供",
    "5": "（五）不予处理",
    "6": "（六）其他处理",
}
ROW_KEYS: tuple[str, ...] = ("new", "carried_in", *OUTCOME_CODES, "total", "carried_out")
ROW_LABELS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    **OUTCOME_LABELS,
    "total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
RESULTS_HEADING = "三、本年度办理结果"
CROSS_CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

SECTION_TITLES: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# Table 四: 行政复议 (5 columns) and 行政诉讼 split into 未经复议直接起诉 and 复议后起诉 (5 each).
REVIEW_RESULTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
REVIEW_RESULT_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
REVIEW_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
REVIEW_GROUP_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}


# 统计范围 of a report. A government reports either for itself and its own departments
# (本级政府及其部门) or with the governments under it and their departments (含下级政府); the
# regulation (条例第四十九条、第五十条) leaves this to the agency's practice, so the report
# stores and prints its choice. A department reports for itself (本机关).
SCOPE_OWN = "own"
SCOPE_LEVEL = "level"
SCOPE_ALL = "all"
SCOPES: tuple[str, ...] = (SCOPE_LEVEL, SCOPE_ALL, SCOPE_OWN)
SCOPE_LABELS: dict[str, str] = {
    SCOPE_OWN: "本机关",
    SCOPE_LEVEL: "本级政府及其部门",
    SCOPE_ALL: "含下级政府",
}
GOVERNMENT_KIND = "government"


def default_scope(organisation_kind: str) -> str:
    """含下级政府 for a government (the 全市/全区 report, as the platform always computed it),
    本机关 for a department or another body."""
    return SCOPE_ALL if organisation_kind == GOVERNMENT_KIND else SCOPE_OWN


def scope_members(tree: Mapping[int, tuple[int | None, str]], root: int, scope: str) -> set[int]:
    """Organisations a report of ``root`` counts, from ``tree`` (id → (parent id, kind)).

    本机关: the root alone. 含下级政府: the root and everything under it. 本级政府及其部门: the
    root and everything under it except a subordinate government and its own subtree.
    """
    if scope not in SCOPE_LABELS:
        raise ValueError(f"unknown report scope {scope!r}")
    if scope == SCOPE_OWN:
        return {root}
    children: dict[int | None, list[int]] = {}
    for org_id, (parent_id, _kind) in tree.items():
        children.setdefault(parent_id, []).append(org_id)
    members: set[int] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        if current in members:
            continue
        members.add(current)
        for child in children.get(current, []):
            if scope == SCOPE_LEVEL and tree[child][1] == GOVERNMENT_KIND:
                continue
            stack.append(child)
    return members


@dataclass(frozen=True)
class CaseFacts:
    """What table 三 needs of one application."""

    applicant_type: str
    received: date
    closed: date | None
    outcome: str | None


Table = dict[str, dict[str, int]]


def empty_table() -> Table:
    return {row: dict.fromkeys(COLUMNS, 0) for row in ROW_KEYS}


def _finish(table: Table) -> Table:
    for row in ROW_KEYS:
        if row == "total":
            continue
        table[row]["total"] = sum(table[row][c] for c in APPLICANT_COLUMNS)
    for column in COLUMNS:
        table["total"][column] = sum(table[code][column] for code in OUTCOME_CODES)
    return table


def applications_table(cases: Iterable[CaseFacts], year: int) -> Table:
    """Table 三 from case facts, by the definitions of the issue:

    一 = received in the year; 二 = received before the year and not closed before it;
    (一)…(六) = closed in the year, by outcome; (七) = their sum;
    四 = received by the year's end and not closed by then.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = empty_table()
    for case in cases:
        column = case.applicant_type if case.applicant_type in APPLICANT_COLUMNS else "other"
        if start <= case.received <= end:
            table["new"][column] += 1
        if case.received < start and (case.closed is None or case.closed >= start):
            table["carried_in"][column] += 1
        if case.closed is not None and start <= case.closed <= end and case.outcome:
            table[case.outcome][column] += 1
        if case.received <= end and (case.closed is None or case.closed > end):
            table["carried_out"][column] += 1
    return _finish(table)


def table_from_counts(
    new: Mapping[str, int],
    carried_in: Mapping[str, int],
    closed: Mapping[tuple[str, str], int],
    carried_out: Mapping[str, int],
) -> Table:
    """Table 三 from grouped counts (what the database aggregation returns)."""
    table = empty_table()
    for row, counts in (("new", new), ("carried_in", carried_in), ("carried_out", carried_out)):
        for column, n in counts.items():
            table[row][column if column in APPLICANT_COLUMNS else "other"] += n
    for (outcome, column), n in closed.items():
        if outcome in OUTCOME_LABELS:
            table[outcome][column if column in APPLICANT_COLUMNS else "other"] += n
    return _finish(table)


@dataclass
class CheckFailure:
    row: str
    column: str
    message: str


@dataclass
class ConsistencyResult:
    failures: list[CheckFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def check_applications_table(table: Table) -> ConsistencyResult:
    """勾稽关系: per column 一 + 二 = (七) + 四; 总计 = the sum of the six applicant columns;
    (七) = the sum of the outcome rows. Each failure names the cell."""
    result = ConsistencyResult()
    for column in COLUMNS:
        left = table["new"][column] + table["carried_in"][column]
        right = table["total"][column] + table["carried_out"][column]
        if left != right:
            result.failures.append(
                CheckFailure(
                    "total",
                    column,
                    f"“{COLUMN_LABELS[column]}”列：第一项加第二项之和为{left}，"
                    f"第三项（七）总计加第四项之和为{right}，二者不相等",
                )
            )
        outcome_sum = sum(table[code][column] for code in OUTCOME_CODES)
        if outcome_sum != table["total"][column]:
            result.failures.append(
                CheckFailure(
                    "total",
                    column,
                    f"“{COLUMN_LABELS[column]}”列：（七）总计为{table['total'][column]}，"
                    f"各办理结果之和为{outcome_sum}",
                )
            )
    for row in ROW_KEYS:
        applicant_sum = sum(table[row][c] for c in APPLICANT_COLUMNS)
        if applicant_sum != table[row]["total"]:
            result.failures.append(
                CheckFailure(
                    row,
                    "total",
                    f"“{ROW_LABELS[row]}”行：总计为{table[row]['total']}，"
                    f"六类申请人之和为{applicant_sum}",
                )
            )
    return result
