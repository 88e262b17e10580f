"""The pure 政策找人 rules of issue 14 at their boundaries (``policies.matching``)."""

import datetime

import pytest

from gongkai.policies.industries import code_prefixes, is_valid_code
from gongkai.policies.matching import Conditions, Profile, evaluate, whole_years

D = datetime.date
CITY, DISTRICT, BUREAU, OTHER = "city", "district", "bureau", "other"
# A bureau two levels below the city: bureau → district → city.
PROFILE = Profile(
    region_path=(BUREAU, DISTRICT, CITY),
    industry="C3911",
    scale="small",
    established=D(2020, 6, 1),
    qualifications=frozenset({"高新技术企业", "科技型中小企业"}),
)
AS_OF = D(2026, 6, 1)


def unmet(conditions: Conditions, profile: Profile = PROFILE, as_of: datetime.date = AS_OF):
    return evaluate(conditions, profile, as_of).unmet


def test_no_condition_matches_with_no_reason():
    outcome = evaluate(Conditions(), PROFILE, AS_OF)
    assert outcome.matches
    assert outcome.reasons == []


@pytest.mark.parametrize(
    ("established", "as_of", "years"),
    [
        (D(2020, 6, 1), D(2023, 6, 1), 3),  # the anniversary day completes the year
        (D(2020, 6, 1), D(2023, 5, 31), 2),
        (D(2020, 2, 29), D(2021, 2, 28), 1),  # 民法典第二百零一条: month end of a common year
        (D(2020, 2, 29), D(2021, 2, 27), 0),
        (D(2020, 2, 29), D(2024, 2, 28), 3),  # a leap year has its own 29 February
        (D(2020, 2, 29), D(2024, 2, 29), 4),
        (D(2020, 6, 1), D(2020, 5, 31), -1),
    ],
)
def test_whole_years(established, as_of, years):
    assert whole_years(established, as_of) == years


def test_min_years_boundary_on_the_anniversary():
    c = Conditions(min_years=3)
    assert unmet(c, as_of=D(2023, 6, 1)) == []
    assert unmet(c, as_of=D(2023, 5, 31)) == ["min_years"]
    outcome = evaluate(c, PROFILE, D(2023, 6, 1))
    assert outcome.reasons == ["成立年限符合：已成立3年，要求不少于3年"]


def test_min_years_without_founding_date_fails():
    no_date = Profile(region_path=(CITY,), established=None)
    assert unmet(Conditions(min_years=1), no_date) == ["min_years"]


def test_apply_window_first_and_last_day_count():
    c = Conditions(apply_from=D(2026, 3, 1), apply_until=D(2026, 3, 31))
    assert unmet(c, as_of=D(2026, 3, 1)) == []
    assert unmet(c, as_of=D(2026, 3, 31)) == []
    assert unmet(c, as_of=D(2026, 2, 28)) == ["apply_window"]
    assert unmet(c, as_of=D(2026, 4, 1)) == ["apply_window"]
    assert evaluate(c, PROFILE, D(2026, 3, 1)).reasons == ["申报时间符合：2026-03-01至2026-03-31"]


def test_open_ended_window():
    assert unmet(Conditions(apply_until=D(2026, 6, 1))) == []
    assert unmet(Conditions(apply_until=D(2026, 5, 31))) == ["apply_window"]
    assert unmet(Conditions(apply_from=D(2026, 6, 2))) == ["apply_window"]


@pytest.mark.parametrize("code", ["C", "C39", "C391", "C3911"])
def test_industry_code_at_each_level_matches(code):
    outcome = evaluate(Conditions(industries=(code,)), PROFILE, AS_OF)
    assert outcome.unmet == []


def test_industry_reasons_name_the_listed_code():
    outcome = evaluate(Conditions(industries=("C39",)), PROFILE, AS_OF)
    assert outcome.reasons == ["行业符合：C3911属于C39"]
    outcome = evaluate(Conditions(industries=("C3911",)), PROFILE, AS_OF)
    assert outcome.reasons == ["行业符合：C3911"]


@pytest.mark.parametrize("code", ["C3912", "C392", "C40", "I", "C39111"])
def test_industry_code_that_is_not_a_prefix_fails(code):
    assert unmet(Conditions(industries=(code,))) == ["industries"]


def test_one_listed_industry_is_enough():
    assert unmet(Conditions(industries=("I65", "C39"))) == []


def test_profile_with_a_broader_code_does_not_match_a_narrower_condition():
    broad = Profile(region_path=(CITY,), industry="C39")
    assert unmet(Conditions(industries=("C391",)), broad) == ["industries"]


def test_region_two_levels_down_matches_and_says_where():
    names = {BUREAU: "西湖区教育局", CITY: "杭东市人民政府"}
    outcome = evaluate(Conditions(regions=(CITY,)), PROFILE, AS_OF, names)
    assert outcome.unmet == []
    assert outcome.reasons == ["地区符合：西湖区教育局属于杭东市人民政府"]
    assert unmet(Conditions(regions=(BUREAU,))) == []
    assert unmet(Conditions(regions=(OTHER,))) == ["regions"]


def test_region_listed_below_the_profile_does_not_match():
    district_profile = Profile(region_path=(DISTRICT, CITY))
    assert unmet(Conditions(regions=(BUREAU,)), district_profile) == ["regions"]


def test_scales_and_qualifications():
    assert unmet(Conditions(scales=("small", "micro"))) == []
    assert unmet(Conditions(scales=("large",))) == ["scales"]
    assert unmet(Conditions(qualifications=("高新技术企业",))) == []
    assert unmet(Conditions(qualifications=("高新技术企业", "专精特新中小企业"))) == [
        "qualifications"
    ]


def test_every_failed_condition_is_named_in_order():
    c = Conditions(
        regions=(OTHER,),
        industries=("A",),
        scales=("large",),
        min_years=10,
        qualifications=("专精特新中小企业",),
        apply_from=D(2027, 1, 1),
    )
    assert unmet(c) == [
        "regions",
        "industries",
        "scales",
        "min_years",
        "qualifications",
        "apply_window",
    ]


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("A", True),
        ("C39", True),
        ("C391", True),
        ("C3911", True),
        ("T97", True),
        ("C01", False),  # division 01 belongs to section A
        ("U", False),
        ("C3", False),
        ("C39111", False),
        ("39", False),
        ("c39", False),  # normalised by the callers before checking
    ],
)
def test_industry_code_shape(code, valid):
    assert is_valid_code(code) is valid


def test_code_prefixes():
    assert code_prefixes("C3911") == ["C", "C39", "C391", "C3911"]
    assert code_prefixes("C39") == ["C", "C39"]
    assert code_prefixes("") == []
