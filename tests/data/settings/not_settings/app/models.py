from dataclasses import dataclass

from pydantic import BaseModel
from pydantic_settings import BaseSettings


@dataclass
class Point:
    """A dataclass that is not settings: its bool fields are data."""

    visible: bool = False


class UserIn(BaseModel):
    """A pydantic model that is not BaseSettings (nor nested in one)."""

    is_admin: bool = False


class Settings(BaseSettings):
    timeout: int = 5  # not a bool
    region: str = "eu"
    read_by_getattr: bool = False
    read_by_untyped_param: bool = False


settings = Settings()


def lookup():
    return getattr(settings, "read_by_getattr")  # a literal name: the same read as settings.read_by_getattr


def helper(conf):
    return conf.read_by_untyped_param  # conf may be the settings: never reported
