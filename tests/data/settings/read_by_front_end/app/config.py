from functools import lru_cache
from pydantic import Field, AliasChoices
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_SERVER_")

    metrics_enabled: bool = False
    legacy_ui: bool = Field(default=False, description="old UI")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    beta_search: bool = Field(False, validation_alias=AliasChoices("BETA_SEARCH", "APP_BETA"))
    dark_mode: bool = True
    unused_switch: bool = False
    name: str = "x"
    server: ServerSettings = Field(default_factory=ServerSettings)


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = Settings()
