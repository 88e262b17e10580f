"""Router registry: one module per bounded context, each exposing ``router``."""

from importlib import import_module

from ninja import NinjaAPI

# (module, prefix) pairs; a module appears here once its context lands.
ROUTERS: list[tuple[str, str]] = []


def register_routers(api: NinjaAPI) -> None:
    for module_name, prefix in ROUTERS:
        module = import_module(f"gongkai.api.routers.{module_name}")
        api.add_router(prefix, module.router)
