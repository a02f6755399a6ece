import json

from pydantic import TypeAdapter

from app.conf import DumpedSettings, GetattrSettings, PassedSettings, VarsSettings


def dump(settings: DumpedSettings):
    return json.dumps(settings.model_dump())


def by_name(settings: GetattrSettings, name: str):
    return getattr(settings, name)


ADAPTER = TypeAdapter(PassedSettings)


def as_vars(settings: VarsSettings):
    return vars(settings)
