"""Seed the working-day calendar 2004–2026 from the ``chinesecalendar`` package, so a freshly
migrated database can compute statutory deadlines without any demo data (issue 4).

The logic is inlined (not imported from ``gongkai.workdays.source``) so this migration keeps
producing the same rows even if the application code changes later. The 2026 data matches the
国务院办公厅 notice of 2025-11-04 (rules note §7.1).
"""

from datetime import date, timedelta

from django.db import migrations

FIRST_YEAR = 2004
LAST_YEAR = 2026

NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

NOTICES = {
    2026: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
    " https://politics.gmw.cn/2025-11/04/content_38391083.htm",
    2023: "国务院办公厅关于2023年部分节假日安排的通知"
    " http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm",
    2022: "国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）"
    " http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm",
}


def seed(apps, schema_editor):
    import chinese_calendar

    from importlib.metadata import PackageNotFoundError, version

    try:
        source = f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:
        source = "chinesecalendar"

    english_to_name = {
        member.value: NAMES.get(member.name, getattr(member, "chinese", member.value))
        for member in chinese_calendar.Holiday
    }
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    days = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        d = date(year, 1, 1)
        while d.year == year:
            is_holiday, english = chinese_calendar.get_holiday_detail(d)
            name = english_to_name.get(english, english or "")
            weekend = d.weekday() >= 5
            if is_holiday and (name or not weekend):
                days.append(CalendarDay(date=d, kind="holiday", name=name))
            elif not is_holiday and weekend:
                days.append(CalendarDay(date=d, kind="workday", name=name))
            d += timedelta(days=1)
    CalendarDay.objects.bulk_create(days, batch_size=500)
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=year, source=source, notice=NOTICES.get(year, ""))
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        ]
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(
        date__gte=date(FIRST_YEAR, 1, 1), date__lte=date(LAST_YEAR, 12, 31)
    ).delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(
        year__gte=FIRST_YEAR, year__lte=LAST_YEAR
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
