from openfeature import api

client = api.get_client()


def is_on(key, default=False):
    return client.get_boolean_value(key, default)


def check(*scopes, flag, default=False):
    return client.get_boolean_value(flag, default)


def by_position(name):
    return is_on(name)


def by_keyword(name):
    return is_on(key=name)


def scoped(name, *scopes):
    return check(*scopes, flag=name)  # by keyword after *args: still the key


def require_all(names, *scopes):
    return all(check(*scopes, flag=name) for name in names)


def unsure(name, *scopes):
    return is_on(*scopes, name)  # after *args: no one can tell its position
