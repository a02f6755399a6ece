from pydantic_settings import BaseSettings


class DumpedSettings(BaseSettings):
    dumped_flag: bool = False


class GetattrSettings(BaseSettings):
    by_name_flag: bool = False


class PassedSettings(BaseSettings):
    passed_flag: bool = False


class VarsSettings(BaseSettings):
    vars_flag: bool = False


class OwnSettings(BaseSettings):
    """Its own serialisation through self is no read by a caller."""

    own_flag: bool = False

    def export(self):
        return {name: getattr(self, name) for name in type(self).model_fields}
