from pydantic_settings import BaseSettings, SettingsConfigDict


class StrictSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRICT_", case_sensitive=True)

    audit_log: bool = False


strict = StrictSettings()


def audit():
    if strict.audit_log:
        return "audit"
    return None
