_config_options = {}


def _create_option(key, description=None, default_val=None, type_=str):
    _config_options[key] = default_val
    return key


def get_option(key):
    return _config_options[key]


def set_option(key, value):
    _config_options[key] = value


_create_option("global.unitTest", default_val=False, type_=bool)
_create_option("global.legacyMode", description="old", default_val=True, type_=bool)
_create_option("server.port", default_val=8501, type_=int)
_create_option("server.unusedAddress", default_val="", type_=str)
_create_option("runner.fastReruns", default_val=True, type_=bool)
_create_option("runner.storedOnly", default_val=False, type_=bool)


@_create_option("global.developmentMode", type_=bool)
def _global_development_mode():
    return False


def _server_port():
    if get_option("global.unitTest"):
        return 0
    return get_option("server.port")
