"""Router discovery: every module here exposing ``router`` and ``PREFIX`` is mounted on the API.

One module per bounded context, so contexts add endpoints without touching a shared list.
"""

import pkgutil
from importlib import import_module

from ninja import NinjaAPI


def register_routers(api: NinjaAPI) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(module.PREFIX, router)
