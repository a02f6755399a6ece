from pydantic_settings import BaseSettings, SettingsConfigDict


def build_config(section):
    return SettingsConfigDict(env_prefix=f"APP_{section.upper()}_")


class AppBaseSettings(BaseSettings):
    pass


class ApiSettings(AppBaseSettings):
    model_config = build_config("api")

    enable_http2: bool = False
    legacy_auth: bool = False
    tracing: bool = False


class Settings(AppBaseSettings):
    api: ApiSettings = ApiSettings()
