"""Seed the national 主题分类, the 服务对象 list, the default platform columns and the
政府信息公开专栏 pages, so a freshly migrated database can publish without any demo data.

The 22-class two-level 主题分类 is the gov.cn policy-library taxonomy (rules note §4.5),
copied verbatim.
"""

from django.db import migrations

TOPICS: list[tuple[str, list[str]]] = [
    ("国务院组织机构", ["国务院", "国务院办公厅", "国务院组成部门", "国务院直属特设机构", "国务院直属机构", "国务院办事机构", "国务院直属事业单位", "国务院部委管理的国家局", "国务院议事协调机构", "其他"]),
    ("综合政务", ["政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"]),
    ("国民经济管理、国有资产监管", ["宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"]),
    ("财政、金融、审计", ["财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设", "审计", "其他"]),
    ("国土资源、能源", ["土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他"]),
    ("农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利", "其他"]),
    ("工业、交通", ["机械制造与重工业", "轻工纺织", "化工", "国防工业", "航天、航空", "信息产业（含电信）", "公路", "水运", "铁路", "民航", "邮政", "其他"]),
    ("商贸、海关、旅游", ["对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"]),
    ("市场监管、安全生产监管", ["工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"]),
    ("城乡建设、环境保护", ["城市规划", "城乡建设（含住房）", "环境监测、保护与治理", "节能与资源综合利用", "气象、水文、测绘、地震", "其他"]),
    ("科技、教育", ["科技", "教育", "知识产权", "其他"]),
    ("文化、广电、新闻出版", ["文化", "文物", "新闻出版", "广播、电影、电视", "其他"]),
    ("卫生、体育", ["卫生", "医药管理", "体育", "其他"]),
    ("人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童", "其他"]),
    ("劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"]),
    ("公安、安全、司法", ["公安", "国家安全", "司法", "其他"]),
    ("民政、扶贫、救灾", ["减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"]),
    ("民族、宗教", ["民族事务", "宗教事务"]),
    ("对外事务", ["外交、外事", "国际条约、国际组织", "其他"]),
    ("港澳台侨工作", ["港澳工作", "对台工作", "侨务工作"]),
    ("国防", ["国防建设", "国防动员"]),
    ("其他", []),
]

AUDIENCES = ["公众", "企业", "社会组织", "政府机关", "其他"]

# (slug, name, kind, parent slug, update_period_days, sort_order, description)
COLUMNS = [
    ("zdgk", "主动公开基本目录", "catalogue", None, None, 10,
     "按发布机构和主题分类编排的政府信息主动公开基本目录。"),
    ("dtyw", "动态要闻", "news", None, 14, 20, "本机关工作动态和要闻。"),
    ("tzgg", "通知公告", "notice", None, 180, 30, "面向社会发布的通知、公告、通告。"),
    ("zcwj", "政策文件", "policy", None, 180, 40, "规章、行政规范性文件和其他政策文件。"),
    ("ztzl", "专题专栏", "special", None, None, 50, "围绕重点工作开设的专题专栏。"),
    ("wjjdp", "稳经济大盘", "special", "ztzl", None, 10, "稳住经济大盘一揽子政策措施及落实情况。"),
    ("zqjk", "助企纾困", "special", "ztzl", None, 20, "助企纾困、减税降费和惠企政策。"),
]

GUIDE_BODY = """<h2>一、主动公开</h2>
<p>本机关主动公开的政府信息，通过本平台“政府信息公开专栏”及时发布，并可通过政府公报、新闻发布会、政务新媒体等途径获取。属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。</p>
<h2>二、依申请公开</h2>
<p>公民、法人或者其他组织可以通过本平台在线提交、信函或当面提交等方式，向本机关申请获取政府信息。申请时应当提供申请人的姓名或者名称、身份证明、联系方式，以及所需政府信息的名称、文号或者便于查询的其他特征性描述。</p>
<p>本机关收到申请，能够当场答复的当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。</p>
<h2>三、受理机构</h2>
<p>本机关政府信息公开工作机构为办公室，办公时间为法定工作日上午9:00—12:00，下午13:30—17:00。</p>
<h2>四、监督和救济</h2>
<p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p>"""

RULES_BODY = """<h2>政府信息公开工作制度</h2>
<p>为规范本机关政府信息公开工作，根据《中华人民共和国政府信息公开条例》，制定以下制度：</p>
<ol>
<li><strong>保密审查制度。</strong>拟公开的政府信息在公开前，依照《中华人民共和国保守国家秘密法》以及其他法律、法规和国家有关规定进行审查，实行“先审查、后公开”和“一事一审”。</li>
<li><strong>发布协调制度。</strong>发布政府信息涉及其他行政机关的，应当进行沟通、确认，保证发布的政府信息准确一致。</li>
<li><strong>依申请公开办理制度。</strong>依申请公开实行登记、审核、办理、答复、归档全流程管理，按照法定时限答复申请人。</li>
<li><strong>政策解读制度。</strong>行政规范性文件与解读材料同步组织、同步审签、同步部署。</li>
<li><strong>考核评议制度。</strong>政府信息公开工作纳入年度绩效考核，定期开展自查，接受社会评议。</li>
<li><strong>年度报告制度。</strong>每年1月31日前向社会公布本机关上一年度政府信息公开工作年度报告。</li>
</ol>"""

PAGES = [
    ("guide", "政府信息公开指南", GUIDE_BODY),
    ("rules", "政府信息公开制度", RULES_BODY),
]


def seed(apps, schema_editor):
    TopicCategory = apps.get_model("catalogue", "TopicCategory")
    Audience = apps.get_model("catalogue", "Audience")
    Column = apps.get_model("catalogue", "Column")
    Page = apps.get_model("catalogue", "Page")

    for i, (top_name, children) in enumerate(TOPICS, start=1):
        top, _ = TopicCategory.objects.get_or_create(
            parent=None, name=top_name, defaults={"sort_order": i}
        )
        for j, child in enumerate(children, start=1):
            TopicCategory.objects.get_or_create(
                parent=top, name=child, defaults={"sort_order": j}
            )
    for i, name in enumerate(AUDIENCES, start=1):
        Audience.objects.get_or_create(name=name, defaults={"sort_order": i})
    by_slug = {}
    for slug, name, kind, parent, period, order, description in COLUMNS:
        column, _ = Column.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "parent": by_slug.get(parent),
                "update_period_days": period,
                "sort_order": order,
                "description": description,
            },
        )
        by_slug[slug] = column
    for slug, title, body in PAGES:
        if not Page.objects.filter(slug=slug, organisation__isnull=True).exists():
            Page.objects.create(slug=slug, organisation=None, title=title, body=body)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
