"""The versioned JSON API (/api/v1/); each context adds its router in api/routers/."""

from ninja import NinjaAPI

from . import errors
from .routers import register_routers

api = NinjaAPI(
    title="Gongkai 政务公开平台 API",
    version="1.0.0",
    description="政府信息、政策文件、依申请公开、审核检查与年度报告的开放接口。",
    urls_namespace="api",
)
errors.install(api)
register_routers(api)
