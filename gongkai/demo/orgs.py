"""The named demo world: 杭东市 with four 市直部门, the 西湖区 government and its 教育局.

Plain data (no ORM) so tests and the login table can refer to it.
"""

from dataclasses import dataclass, field

from .texts import uscc

# Documented in the README and printed by `gongkai demo --print-logins`; demo data only.
DEMO_PASSWORD = "Gongkai@2026"  # noqa: S105


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    region: str
    base8: str
    doc_prefix: str  # 机关代字 of its 文号, e.g. 杭财
    address: str
    postcode: str
    phone: str
    leaders: str
    functions: str
    units: list[tuple[str, str, str]] = field(default_factory=list)  # name, phone, duties

    @property
    def code(self) -> str:
        return uscc(self.region, self.base8)


HOURS = "法定工作日 上午8:30—12:00，下午14:00—17:30（夏令时14:30—18:00）"

ORGS: list[OrgSpec] = [
    OrgSpec(
        key="city",
        name="杭东市人民政府",
        short_name="市政府",
        kind="government",
        parent=None,
        region="330100",
        base8="00248994",
        doc_prefix="杭政",
        address="杭东市滨湖新区解放东路18号市民中心A座",
        postcode="310020",
        phone="0571-87051234",
        leaders="林国栋 市长 主持市政府全面工作\n陈思远 常务副市长 负责发展改革、财政、审计工作\n"
        "周晓岚 副市长 负责教育、卫生健康、市场监管工作",
        functions="执行市人民代表大会及其常务委员会的决议，以及上级国家行政机关的决定和命令；"
        "规定行政措施，发布决定和命令；领导所属各工作部门和下级人民政府的工作；"
        "执行国民经济和社会发展计划、预算，管理本行政区域内的经济、教育、科学、文化、卫生、"
        "体育事业和财政、民政、公安、司法行政等行政工作。",
        units=[
            (
                "办公室",
                "0571-87051001",
                "负责市政府机关日常运转、文电会务、机要保密和政务公开工作。",
            ),
            ("秘书处", "0571-87051002", "负责市政府领导公务活动安排和文稿起草。"),
            ("政务公开科", "0571-87051003", "负责全市政务公开工作的组织协调、指导推进和监督检查。"),
            ("法制科", "0571-87051004", "负责政府规章和行政规范性文件的合法性审核与备案。"),
            ("综合调研科", "0571-87051005", "负责经济社会发展重大问题调查研究。"),
        ],
    ),
    OrgSpec(
        key="fgw",
        name="杭东市发展和改革委员会",
        short_name="市发展改革委",
        kind="department",
        parent="city",
        region="330100",
        base8="00248995",
        doc_prefix="杭发改",
        address="杭东市滨湖新区解放东路18号市民中心B座6楼",
        postcode="310020",
        phone="0571-87052000",
        leaders="王建平 党组书记、主任\n刘海燕 副主任 分管规划、投资和价格工作",
        functions="拟订并组织实施全市国民经济和社会发展战略、中长期规划和年度计划；"
        "统筹推进经济体制改革；负责重大建设项目的规划布局和投资管理；"
        "负责价格管理和社会信用体系建设的综合协调。",
        units=[
            ("办公室", "0571-87052001", "负责机关日常运转、政务公开、信访和保密工作。"),
            ("政策法规处", "0571-87052002", "负责规范性文件合法性审核和政策解读。"),
            ("综合规划处", "0571-87052003", "负责发展规划编制和年度计划。"),
            ("固定资产投资处", "0571-87052004", "负责重大建设项目管理。"),
            ("价格管理处", "0571-87052005", "负责价格监测和价格政策。"),
        ],
    ),
    OrgSpec(
        key="czj",
        name="杭东市财政局",
        short_name="市财政局",
        kind="department",
        parent="city",
        region="330100",
        base8="00248996",
        doc_prefix="杭财",
        address="杭东市滨湖新区钱江路77号",
        postcode="310016",
        phone="0571-87053000",
        leaders="赵立军 党组书记、局长\n孙梦婷 副局长 分管预算、国库和政府采购工作",
        functions="拟订全市财政发展规划和财政政策；编制年度市级预决算草案并组织执行；"
        "管理市级财政专项资金和政府采购；负责预算绩效管理和财政监督。",
        units=[
            ("办公室", "0571-87053001", "负责机关日常运转、政务公开和依申请公开办理。"),
            ("预算处", "0571-87053002", "负责市级预算编制和预算公开。"),
            ("国库处", "0571-87053003", "负责国库集中收付和财政专户管理。"),
            ("政府采购监管处", "0571-87053004", "负责政府采购监督管理和采购意向公开。"),
            ("绩效评价处", "0571-87053005", "负责预算绩效管理和评价结果公开。"),
        ],
    ),
    OrgSpec(
        key="jyj",
        name="杭东市教育局",
        short_name="市教育局",
        kind="department",
        parent="city",
        region="330100",
        base8="00248997",
        doc_prefix="杭教",
        address="杭东市东城区文教路22号",
        postcode="310012",
        phone="0571-87054000",
        leaders="何文静 党委书记、局长\n郑浩然 副局长 分管基础教育和学生资助工作",
        functions="贯彻执行国家教育方针政策，拟订全市教育发展规划；统筹管理各级各类教育；"
        "负责义务教育招生入学管理、学生资助和民办教育管理。",
        units=[
            ("办公室", "0571-87054001", "负责机关日常运转、政务公开和信访工作。"),
            ("基础教育处", "0571-87054002", "负责义务教育招生入学和课后服务管理。"),
            ("学生资助管理中心", "0571-87054003", "负责各学段学生资助政策落实。"),
            ("民办教育处", "0571-87054004", "负责民办学校审批、收费和年检。"),
            ("政策法规处", "0571-87054005", "负责教育规范性文件审核和依法治教。"),
        ],
    ),
    OrgSpec(
        key="scjgj",
        name="杭东市市场监督管理局",
        short_name="市市场监管局",
        kind="department",
        parent="city",
        region="330100",
        base8="00248998",
        doc_prefix="杭市监",
        address="杭东市滨湖新区环湖北路9号",
        postcode="310020",
        phone="0571-87055000",
        leaders="钱志强 党委书记、局长\n吴丽华 副局长 分管食品安全和知识产权工作",
        functions="负责全市市场综合监督管理和市场主体统一登记注册；组织实施质量强市和标准化战略；"
        "负责食品安全监督管理、特种设备安全监察和知识产权保护。",
        units=[
            ("办公室", "0571-87055001", "负责机关日常运转、政务公开和新闻宣传。"),
            ("登记注册处", "0571-87055002", "负责市场主体登记注册和个体工商户扶持。"),
            ("食品安全抽检处", "0571-87055003", "负责食品安全监督抽检和结果公布。"),
            ("知识产权保护处", "0571-87055004", "负责知识产权保护和质押融资服务。"),
            ("特种设备安全监察处", "0571-87055005", "负责特种设备安全监察。"),
        ],
    ),
    OrgSpec(
        key="xihu",
        name="杭东市西湖区人民政府",
        short_name="西湖区政府",
        kind="government",
        parent="city",
        region="330106",
        base8="00249001",
        doc_prefix="西政",
        address="杭东市西湖区文三路99号",
        postcode="310013",
        phone="0571-87060000",
        leaders="黄振华 区长 主持区政府全面工作\n马晓静 副区长 负责民政、住建和教育工作",
        functions="执行区人民代表大会及其常务委员会的决议和上级国家行政机关的决定、命令；"
        "管理本区经济、教育、城乡建设和社会事务。",
        units=[
            ("区政府办公室", "0571-87060001", "负责区政府机关运转和政务公开工作。"),
            ("经济发展科", "0571-87060002", "负责就业创业和助企服务。"),
            ("城乡建设科", "0571-87060003", "负责老旧小区改造和垃圾分类。"),
        ],
    ),
    OrgSpec(
        key="xihu_jyj",
        name="杭东市西湖区教育局",
        short_name="西湖区教育局",
        kind="department",
        parent="xihu",
        region="330106",
        base8="00249002",
        doc_prefix="西教",
        address="杭东市西湖区学院路56号",
        postcode="310013",
        phone="0571-87061000",
        leaders="徐春燕 局长\n冯建伟 副局长 分管学前教育和校园安全",
        functions="负责全区学前教育和义务教育管理；负责校园食品安全和学生资助工作。",
        units=[
            ("办公室", "0571-87061001", "负责机关日常运转和政务公开工作。"),
            ("学前教育科", "0571-87061002", "负责普惠性幼儿园认定和扶持。"),
            ("基础教育科", "0571-87061003", "负责中小学招生和课后服务。"),
        ],
    ),
]

ORG_BY_KEY = {o.key: o for o in ORGS}

# Staff: (username, display name, org key, role, review level, include descendants, unit name).
# Each government holds the full review chain (初审/复审/终审), a case handler and an
# administrator; each department has its own editor, 初审 reviewer and case handler, and its
# government's 复审 and 终审 reviewers cover it (含下级机构): every level of the inherited
# three-level chain has a reviewer, or submitting there is refused (issue 19 item 7).
STAFF: list[tuple[str, str, str, str, int, bool, str]] = [
    ("city_editor", "李文静", "city", "editor", 0, False, "政务公开科"),
    ("city_reviewer1", "张海波", "city", "reviewer", 1, False, "政务公开科"),
    ("city_reviewer2", "陈晓燕", "city", "reviewer", 2, True, "办公室"),
    ("city_reviewer3", "刘志刚", "city", "reviewer", 3, True, "办公室"),
    ("city_foi", "杨丽娟", "city", "foi_handler", 0, False, "政务公开科"),
    ("city_admin", "吴国强", "city", "admin", 0, True, "政务公开科"),
    ("fgw_editor", "周子涵", "fgw", "editor", 0, False, "办公室"),
    ("fgw_reviewer", "徐建明", "fgw", "reviewer", 1, False, "政策法规处"),
    ("fgw_foi", "孙雅琴", "fgw", "foi_handler", 0, False, "办公室"),
    ("czj_editor", "马丽萍", "czj", "editor", 0, False, "办公室"),
    ("czj_reviewer", "朱宏伟", "czj", "reviewer", 1, False, "预算处"),
    ("czj_foi", "胡晓梅", "czj", "foi_handler", 0, False, "办公室"),
    ("jyj_editor", "郭思琪", "jyj", "editor", 0, False, "办公室"),
    ("jyj_reviewer", "林志远", "jyj", "reviewer", 1, False, "政策法规处"),
    ("jyj_foi", "何婷婷", "jyj", "foi_handler", 0, False, "办公室"),
    ("scjgj_editor", "高明辉", "scjgj", "editor", 0, False, "办公室"),
    ("scjgj_reviewer", "罗晓东", "scjgj", "reviewer", 1, False, "登记注册处"),
    ("scjgj_foi", "梁秀英", "scjgj", "foi_handler", 0, False, "办公室"),
    ("xihu_editor", "宋佳怡", "xihu", "editor", 0, False, "区政府办公室"),
    ("xihu_reviewer1", "谢振宇", "xihu", "reviewer", 1, False, "区政府办公室"),
    ("xihu_reviewer2", "韩雪", "xihu", "reviewer", 2, True, "区政府办公室"),
    ("xihu_reviewer3", "唐国平", "xihu", "reviewer", 3, True, "区政府办公室"),
    ("xihu_foi", "冯晓丽", "xihu", "foi_handler", 0, False, "区政府办公室"),
    ("xihu_admin", "董文涛", "xihu", "admin", 0, True, "区政府办公室"),
    ("xihu_jyj_editor", "程雨欣", "xihu_jyj", "editor", 0, False, "办公室"),
    ("xihu_jyj_reviewer", "曹立新", "xihu_jyj", "reviewer", 1, False, "基础教育科"),
    ("xihu_jyj_foi", "邓美玲", "xihu_jyj", "foi_handler", 0, False, "办公室"),
]

# Public accounts: (username, display name, applicant type, organisation name, phone).
PUBLIC_USERS: list[tuple[str, str, str, str, str]] = [
    ("zhangsan", "张三", "natural", "", "13800000001"),
    ("yunfan", "杭东云帆科技有限公司", "business", "杭东云帆科技有限公司", "13800000002"),
]
SUPERUSER = ("admin", "系统管理员")

# The years the demo's organisations publish their annual reports on (demo.annual_reports):
# kept here, with the plain data, so that `gongkai demo --if-empty` (run by every `make run`)
# does not import the reports app only to learn them.
REPORT_YEARS = (2024, 2025)
