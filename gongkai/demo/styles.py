"""Vocabulary and structure by organisation and genre for the benchmark documents (issue 18).

Drawing every body from the same few hundred seed sentences made the synthetic million
self-similar: every common term was in every kind of document, so a query matched half of the
corpus with near-equal scores. A real agency's archive is not like that: the education bureau
writes about 招生 and 学位, the finance bureau about 预算 and 转移支付; news reports events,
notices list numbered requirements, reports give figures. Each organisation here has its own
lexicon, each genre its own sentence frames and layout; seed sentences are only part of the mix.
No ORM here (pure text, like texts.py).
"""

import random

# Domain terms by organisation key (gongkai/demo/orgs.py). Several terms are shared on purpose
# (a real city's departments overlap), most are not.
LEXICON: dict[str, list[str]] = {
    "city": [
        "政府常务会议",
        "民生实事项目",
        "营商环境评价",
        "数字化改革",
        "共同富裕示范区",
        "基层治理",
        "安全生产责任制",
        "重点项目攻坚",
        "一网通办",
        "城市大脑",
        "防汛防台",
        "公共卫生应急",
        "人大代表建议",
        "政协提案",
        "政府工作报告",
        "法治政府建设",
        "12345热线",
        "接诉即办",
        "政务服务中心",
        "市域治理现代化",
    ],
    "fgw": [
        "固定资产投资",
        "重大项目库",
        "项目可行性研究报告",
        "价格监测",
        "节能审查",
        "碳达峰",
        "社会信用代码",
        "信用修复",
        "招投标监管",
        "产业结构调整",
        "国民经济和社会发展计划",
        "粮食安全",
        "电力负荷管理",
        "现代服务业",
        "投资项目在线审批",
        "区域协调发展",
        "重要商品储备",
        "收费清单",
        "循环经济",
        "能耗双控",
    ],
    "czj": [
        "一般公共预算",
        "转移支付",
        "政府债券",
        "国库集中支付",
        "预算绩效目标",
        "财政专项资金",
        "政府采购合同",
        "三公经费",
        "非税收入",
        "国有资本经营预算",
        "会计监督",
        "资产管理",
        "地方政府专项债券",
        "直达资金",
        "财政收支",
        "代理记账",
        "政府购买服务",
        "行政事业单位",
        "预算执行",
        "财政票据",
    ],
    "jyj": [
        "义务教育招生",
        "学位保障",
        "课后服务",
        "教师招聘",
        "学区划分",
        "中考改革",
        "职业教育",
        "校外培训",
        "教育督导",
        "学生资助",
        "普惠性幼儿园",
        "集团化办学",
        "劳动教育",
        "近视防控",
        "校园安全",
        "研学实践",
        "教育经费",
        "新建学校",
        "特殊教育",
        "双减",
    ],
    "scjgj": [
        "食品安全抽检",
        "特种设备",
        "计量检定",
        "商标注册",
        "广告监测",
        "价格违法行为",
        "市场主体登记",
        "药品零售",
        "网络交易监管",
        "产品质量监督",
        "知识产权保护",
        "消费者权益",
        "信用监管",
        "电梯维保",
        "农贸市场",
        "标准化试点",
        "执法检查",
        "双随机抽查",
        "质量提升",
        "企业年报",
    ],
    "xihu": [
        "街道社区",
        "老旧小区改造",
        "垃圾分类",
        "美丽乡村",
        "村级集体经济",
        "网格化管理",
        "文明城市创建",
        "河长制",
        "小微企业园",
        "征地拆迁",
        "社区养老服务",
        "民生综合体",
        "退役军人服务",
        "志愿服务",
        "旅游景区",
        "茶产业",
        "共享法庭",
        "邻里中心",
        "物业管理",
        "农村饮用水",
    ],
    "xihu_jyj": [
        "幼儿园招生",
        "学前教育",
        "托育服务",
        "中小学食堂",
        "校车安全",
        "教师培训",
        "家校共育",
        "阳光午餐",
        "学籍管理",
        "课后托管",
        "体育中考",
        "名师工作室",
        "教育集团",
        "随迁子女",
        "心理健康教育",
    ],
}
GENERAL_TERMS = ["政务公开", "信息公开", "工作方案", "督查检查", "专项整治", "考核评价"]

# Sentence frames by genre; {t}/{u} are terms of the organisation's lexicon.
FRAMES: dict[str, list[str]] = {
    "news": [
        "{date}，{short}召开{t}专题会议，研究部署下一阶段重点工作。",
        "会议听取了{t}工作情况汇报，{who}出席会议并讲话。",
        "{who}强调，要把{t}作为当前的重要任务，压实责任、细化举措。",
        "调研组先后走访了{place}等地，实地察看{t}推进情况。",
        "据介绍，今年以来全市{t}累计完成{num}项，同比增长{pct}%。",
        "与会人员围绕{t}和{u}进行了交流发言。",
        "下一步，{short}将持续深化{t}，推动各项工作落地见效。",
        "活动现场，工作人员向群众发放{t}宣传资料{num}余份。",
        "“{t}做得好不好，群众最有发言权。”{who}表示。",
        "此次推进会标志着{t}进入全面实施阶段。",
    ],
    "notice": [
        "为做好{t}工作，现将有关事项通知如下。",
        "各单位要高度重视{t}，明确分管领导和具体经办人员。",
        "申报单位应于{date}前将{t}材料报送{short}。",
        "请各地结合实际，认真组织开展{t}自查，形成书面报告。",
        "对{u}中发现的问题，要建立台账、限期整改。",
        "逾期未报送的，视为自动放弃{t}资格。",
        "本次{t}范围包括{place}等{num}个区域。",
        "各单位在{t}过程中遇到的问题，请及时与{short}联系。",
    ],
    "policy": [
        "加强{t}，完善{u}工作机制。",
        "建立健全{t}长效机制，每年对{u}情况开展评估。",
        "{lead}应当将{t}纳入年度工作目标责任制考核。",
        "对在{t}工作中成绩突出的单位和个人，按照有关规定给予表彰。",
    ],
    "report": [
        "全年共办理{t}事项{num}件，办结率{pct2}%。",
        "{year}年，{short}{t}工作总体平稳，主要指标完成年度目标。",
        "{t}支出{num}万元，比上年增长{pct}%，主要用于{u}。",
        "截至{year}年底，累计完成{t}{num}个，覆盖{place}等区域。",
        "存在的主要问题：{t}基础仍较薄弱，{u}需要进一步加强。",
        "下一年度，将重点推进{t}和{u}两项工作。",
    ],
}
WHO = ["市长", "副市长", "局长", "党组书记", "分管副局长", "区长", "主任"]
NUMBERED = ["一、", "二、", "三、", "四、", "五、", "六、"]


def org_terms(org_key: str) -> list[str]:
    return LEXICON.get(org_key) or GENERAL_TERMS


def _frame(rng: random.Random, genre: str, slots: dict[str, str], terms: list[str]) -> str:
    frames = FRAMES[genre]
    frame = frames[int(rng.random() * len(frames))]
    values = dict(slots)
    # Skewed toward the organisation's first terms: some terms recur often, most rarely.
    values["t"] = terms[int(len(terms) * rng.random() ** 1.4)]
    values["u"] = terms[int(len(terms) * rng.random())]
    values["num"] = str(rng.randint(3, 2000))
    values["pct"] = f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
    values["pct2"] = f"{rng.randint(90, 99)}.{rng.randint(0, 9)}"
    values["who"] = WHO[int(rng.random() * len(WHO))]
    return frame.format(**values)


def sentences(
    rng: random.Random, genre: str, count: int, *, slots: dict[str, str], terms: list[str]
) -> str:
    return "".join(_frame(rng, genre, slots, terms) for _ in range(count))


def numbered(paragraphs: list[str]) -> list[str]:
    """Notices and reports list their requirements as 一、二、三、."""
    return [f"{NUMBERED[i % len(NUMBERED)]}{p}" for i, p in enumerate(paragraphs)]
