from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.GONGKAI_SITE_NAME,
        "large_text": request.COOKIES.get("gk_large") == "1",
        "site_organizer": settings.GONGKAI_SITE_ORGANIZER,
        "site_code": settings.GONGKAI_SITE_CODE,
        "site_icp": settings.GONGKAI_ICP,
        "site_psb": settings.GONGKAI_PSB,
    }
