from openfeature import api

client = api.get_client()


def is_on(key, *, default=False):
    return client.get_boolean_value(key, default)


def is_on_pos(key, default=False):
    return client.get_boolean_value(key, default)


def enabled(name, *, default=False):
    return is_on(name, default=default)


def enabled_pos(name, fallback=False):
    return is_on(name, default=fallback)


def hopeful(name, *, default=True):
    return is_on(name, default=default)


def is_on_for(key, user, default=False):
    return client.get_boolean_value(key, default, user)


def for_user(name, user=True):
    return is_on_for(name, user)  # user is the context, not the default
