from pydantic import BaseSettings, Field


class Settings(BaseSettings):
    new_billing: bool = False
    fast_export: bool = Field(False, env="LEGACY_FAST_EXPORT")
    kill_switch: bool = True
    retries: int = 3

    class Config:
        env_prefix = "SVC_"


def get_settings():
    return Settings()
