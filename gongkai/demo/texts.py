"""Deterministic Chinese text for the demo world and the benchmark documents (no ORM here).

The prose is built from the sentences of the seed documents (real 政务公开 work summaries,
with place names moved to the fictional 杭东市) plus clause templates of policy documents, so
word frequencies look like real government text: common terms everywhere, numbers, 文号 and
company names rare enough to test exact-match search.
"""

import random
import string
from functools import cache
from importlib import resources

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def organisation_code_check(base8: str) -> str:
    """Check character of a 9-character 组织机构代码 (GB 11714-1997)."""
    total = sum(int(c) * w for c, w in zip(base8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc(region: str, base8: str) -> str:
    """An 18-character 统一社会信用代码 (GB 32100-2015) of a 机关 (登记管理部门 1, 类别 1).

    Layout: "11" + 6-digit 行政区划代码 + 9-character 组织机构代码 + check character.
    """
    body = "11" + region + base8 + organisation_code_check(base8)
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


@cache
def seed_sentences() -> tuple[str, ...]:
    text = resources.files("gongkai.demo").joinpath("data/sentences.txt").read_text("utf-8")
    return tuple(line for line in text.splitlines() if line)


CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals (第十二条)."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")


# Subjects with the department that would issue them and their 主题分类 (level 1, level 2).
SUBJECTS: list[tuple[str, str, tuple[str, str]]] = [
    ("促进民营经济高质量发展", "fgw", ("国民经济管理、国有资产监管", "经济体制改革")),
    ("重大建设项目管理", "fgw", ("国民经济管理、国有资产监管", "重大建设项目")),
    ("节能降碳和资源综合利用", "fgw", ("城乡建设、环境保护", "节能与资源综合利用")),
    ("平价商店和重要民生商品价格监测", "fgw", ("国民经济管理、国有资产监管", "物价")),
    ("社会信用体系建设", "fgw", ("财政、金融、审计", "社会信用体系建设")),
    ("市级财政专项资金管理", "czj", ("财政、金融、审计", "财政")),
    ("政府采购意向公开", "czj", ("财政、金融、审计", "财政")),
    ("中小微企业融资担保风险补偿", "czj", ("财政、金融、审计", "银行")),
    ("预算绩效管理", "czj", ("财政、金融、审计", "财政")),
    ("行政事业性收费和政府性基金", "czj", ("财政、金融、审计", "税务")),
    ("义务教育阶段学校招生入学", "jyj", ("科技、教育", "教育")),
    ("民办学校收费管理", "jyj", ("科技、教育", "教育")),
    ("中小学课后服务", "jyj", ("科技、教育", "教育")),
    ("学生资助", "jyj", ("科技、教育", "教育")),
    ("食品安全监督抽检", "scjgj", ("市场监管、安全生产监管", "食品药品监管")),
    ("个体工商户培育扶持", "scjgj", ("市场监管、安全生产监管", "工商")),
    ("知识产权质押融资", "scjgj", ("科技、教育", "知识产权")),
    ("特种设备安全监管", "scjgj", ("市场监管、安全生产监管", "安全生产监管")),
    ("标准化战略实施", "scjgj", ("市场监管、安全生产监管", "标准")),
    ("政务公开", "city", ("综合政务", "政务公开")),
    ("稳住经济大盘", "city", ("国民经济管理、国有资产监管", "宏观经济")),
    ("助企纾困", "city", ("国民经济管理、国有资产监管", "宏观经济")),
    ("应急管理", "city", ("综合政务", "应急管理")),
    ("优化营商环境", "city", ("国民经济管理、国有资产监管", "经济体制改革")),
    ("城乡居民基本医疗保险", "city", ("劳动、人事、监察", "社会保障")),
    ("就业创业补贴", "xihu", ("劳动、人事、监察", "劳动就业")),
    ("老旧小区改造", "xihu", ("城乡建设、环境保护", "城乡建设（含住房）")),
    ("垃圾分类", "xihu", ("城乡建设、环境保护", "环境监测、保护与治理")),
    ("学前教育普惠发展", "xihu_jyj", ("科技、教育", "教育")),
    ("校园食品安全", "xihu_jyj", ("科技、教育", "教育")),
]

POLICY_NOUNS = ["办法", "若干措施", "实施细则", "实施意见", "管理规定", "工作方案", "行动计划"]
NOTICE_ACTIONS = [
    "关于做好{y}年{s}工作的通知",
    "关于开展{y}年{s}专项检查的通知",
    "关于公布{y}年第{n}批{s}名单的公告",
    "关于组织申报{y}年{s}项目的通知",
    "关于{s}有关事项的通告",
    "关于征集{s}意见建议的公告",
    "关于进一步加强{s}工作的通知",
    "{y}年{s}工作情况通报",
]
NEWS_ACTIONS = [
    "召开{y}年{s}工作推进会",
    "部署{s}重点任务",
    "赴{place}调研{s}工作",
    "举办{s}政策宣讲会",
    "{s}工作取得阶段性成效",
    "开展{s}“进企业、进社区”活动",
    "通报{y}年第{q}季度{s}进展情况",
    "召开{s}新闻发布会",
]
PLACES = [
    "西湖区",
    "东城街道",
    "临江工业园",
    "高新技术产业开发区",
    "北山街道",
    "滨湖新区",
    "云栖小镇",
    "钱塘社区",
    "梅家坞村",
    "新港物流园",
]
COMPANY_WORDS = [
    "云帆",
    "恒达",
    "瑞丰",
    "远景",
    "华信",
    "东润",
    "启明",
    "中兴",
    "天成",
    "锦程",
    "嘉禾",
    "鼎盛",
    "新元",
    "汇通",
    "长青",
    "宏图",
]
COMPANY_TRADES = ["科技", "智能制造", "食品", "物流", "新材料", "生物医药", "电子商务", "建设工程"]

POLICY_CLAUSES = [
    "为{goal}，根据有关法律法规和上级文件精神，结合本市实际，制定本{noun}。",
    "本{noun}适用于本市行政区域内{scope}的{subject}工作。",
    "{lead}负责本{noun}的组织实施，其他有关部门按照各自职责做好相关工作。",
    "符合条件的{scope}可以通过杭东市政务服务网或者线下窗口提出申请，"
    "受理部门应当在{days}个工作日内完成审核。",
    "对符合条件的项目，按照实际投资额的{pct}%给予补助，单个项目最高不超过{amount}万元。",
    "享受本{noun}扶持的对象应当如实提供申报材料，对弄虚作假骗取资金的，依法追回并纳入信用记录。",
    "各区县（市）人民政府应当建立工作台账，每季度报送{subject}工作推进情况。",
    "财政部门应当加强资金绩效管理，对资金使用情况开展跟踪评价，评价结果向社会公开。",
    "申请人对审核结果有异议的，可以自收到结果之日起{days}个工作日内申请复核。",
    "本{noun}由{lead}负责解释。",
]
GOALS = [
    "进一步激发市场主体活力",
    "规范{subject}工作",
    "推动{subject}高质量发展",
    "切实减轻企业负担",
    "保障人民群众合法权益",
    "加快建设现代化经济体系",
]
SCOPES = ["企业", "个体工商户", "社会组织", "学校", "公民", "市场主体", "小微企业"]


def company_name(rng: random.Random) -> str:
    return f"杭东{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"


SLOT_CHOICES: dict[str, list[str]] = {
    "days": ["5", "7", "10", "15", "20"],
    "pct": ["10", "15", "20", "30"],
    "amount": ["50", "100", "200", "300", "500"],
    "scope": SCOPES,
    "place": PLACES,
    "q": ["一", "二", "三", "四"],
    "n": ["1", "2", "3", "4", "5", "6"],
}


@cache
def _slot_names(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def fill(
    template: str, rng: random.Random, *, keep: dict[str, str] | None = None, **slots: str
) -> str:
    """Fill a template's {slots}: given values first, the rest drawn from SLOT_CHOICES.

    Only the slots the template uses are drawn (this runs millions of times in bulk loads).
    ``keep`` values replace drawn ones after the draw, so the random sequence (and with it
    the rest of the demo world) stays the same.
    """
    rand = rng.random
    values = dict(slots)
    for name in _slot_names(template):
        if name in values:
            continue
        if name == "goal":
            goal = GOALS[int(rand() * len(GOALS))]
            values["goal"] = goal.format(subject=slots.get("subject", ""))
        else:
            options = SLOT_CHOICES[name]
            values[name] = options[int(rand() * len(options))]
    if keep:
        values.update(keep)
    return template.format(**values)


# Whom a policy applies to, from words of its subject (first match wins): a 学生资助 办法 is
# for schools, a 医疗保险 one for residents, never drawn at random clause by clause.
SCOPE_BY_SUBJECT = [
    (("学生", "学校", "教育", "校园", "课后", "入学"), "学校"),
    (("个体工商户",), "个体工商户"),
    (("小微", "助企", "纾困", "融资"), "小微企业"),
    (("医疗", "医保", "居民"), "城乡居民"),
    (("就业", "创业"), "劳动者和用人单位"),
    (("政务公开", "信息公开", "公共数据"), "行政机关"),
    (("市场", "特种设备", "食品", "标准", "知识产权", "价格", "信用"), "市场主体"),
    (("营商", "经济", "企业", "节能", "采购", "建设项目"), "企业"),
]


def policy_scope(subject: str) -> str:
    for words, scope in SCOPE_BY_SUBJECT:
        if any(word in subject for word in words):
            return scope
    return "有关单位和个人"


def policy_articles(
    rng: random.Random, *, subject: str, noun: str, lead: str, effective: str
) -> list[str]:
    """Numbered articles (第一条 …) of a policy document, ending with the commencement date.
    Every article names the same addressees, those of the subject (policy_scope)."""
    keep = {"scope": policy_scope(subject)}
    clauses = [
        fill(c, rng, keep=keep, subject=subject, noun=noun, lead=lead) for c in POLICY_CLAUSES[:3]
    ]
    middle = rng.sample(POLICY_CLAUSES[3:9], k=rng.randint(3, 6))
    clauses += [fill(c, rng, keep=keep, subject=subject, noun=noun, lead=lead) for c in middle]
    clauses.append(fill(POLICY_CLAUSES[9], rng, keep=keep, subject=subject, noun=noun, lead=lead))
    clauses.append(f"本{noun}自{effective}起施行，有效期五年。")
    return [f"第{cn_number(i)}条　{c}" for i, c in enumerate(clauses, start=1)]


def prose(rng: random.Random, paragraphs: int, per_paragraph: tuple[int, int]) -> list[str]:
    """Paragraphs of seed sentences; sentences are drawn with a skewed distribution so some
    recur often (common terms) while most are rare."""
    sentences = seed_sentences()
    count = len(sentences)
    out = []
    for _ in range(paragraphs):
        k = rng.randint(*per_paragraph)
        picks = [sentences[int(count * rng.random() ** 1.6)] for _ in range(k)]
        out.append("".join(picks))
    return out


def html_paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)
