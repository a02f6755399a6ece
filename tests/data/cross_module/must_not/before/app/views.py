from app import plugins, settings
from app.aliased import aliased_fn
from app.api import public_api
from app.cli import cli_main
from app.handlers import registered
from app.hooks import loaded_by_path
from app.patched import patched_fn
from app.shared import shared
from app.tasks import scheduled


def legacy(order):
    if settings.ENABLE_LEGACY:
        shared(order)
        public_api(order)
        scheduled(order)
        loaded_by_path(order)
        cli_main()
        plugins.fetched(order)
        registered(order)
        patched_fn(order)
        aliased_fn(order)
    return order
