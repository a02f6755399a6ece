from unittest import mock


def test_patched():
    with mock.patch("app.patched.patched_fn") as fake:
        fake.return_value = 1
