from unittest import mock

from app.flags import flag_set


def mock_feature_flag(name, value):
    def decorator(func):
        def wrapper(*args, **kwargs):
            def fake_flag_set(key, *flag_args, **flag_kwargs):
                if key == name:
                    return value
                return flag_set(key, *flag_args, **flag_kwargs)

            with mock.patch("app.flags.flag_set", wraps=fake_flag_set):
                return func(*args, **kwargs)

        return wrapper

    return decorator
