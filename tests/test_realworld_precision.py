"""False alarms found by running flaglint on real projects (saleor,
kitsune, dbt-feature-flags, Django settings), kept as must-not-report
cases with the project shape that caused them."""

from __future__ import annotations


def codes(findings):
    return [(f.code, f.path, f.span.line) for f in findings]


def test_example_env_files_and_dev_containers_do_not_make_the_environment_known(lint):
    app = 'import os\nBUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME")\nif BUCKET:\n    STORAGE = "s3"\n'
    devcontainer = "services:\n  app:\n    image: app\n    environment:\n      - DEBUG=1\n"
    assert codes(lint({".devcontainer/docker-compose.yml": devcontainer, "app/settings.py": app})) == []
    assert codes(lint({".env.example": "SECRET_KEY=x\n", "conftest.py": app})) == []


BETA = 'import os\nif os.environ.get("ENABLE_BETA"):\n    beta()\n'


def test_a_real_env_file_still_decides(lint):
    assert codes(lint({".env": "SECRET_KEY=x\n", "app.py": BETA})) == [("FL001", "app.py", 2), ("FL002", "app.py", 3)]


def test_a_variable_an_example_file_lists_counts_as_set(lint):
    assert codes(lint({".env": "SECRET_KEY=x\n", ".env.example": "ENABLE_BETA=1\n", "app.py": BETA})) == []


def test_django_settings_are_not_unused_flags(lint):
    settings = "USE_TZ = True\nUSE_I18N = True\nSOCIAL_AUTH_JSONFIELD_ENABLED = True\n"
    assert codes(lint({"mysite/__init__.py": "", "mysite/settings.py": settings})) == []


def test_bool_variation_on_another_sdk_is_not_launchdarkly(lint):
    config = 'flag-sources = ["ld.json"]\nsources-complete = ["launchdarkly"]\n'
    app = (
        "from featureflags.client import CfClient\n\nclient = CfClient('sdk-key')\n"
        "if client.bool_variation('harness-beta', None, False):\n    print('beta')\n"
    )
    assert codes(lint({"flaglint.toml": config, "ld.json": '{"flagValues": {"x": true}}', "app.py": app})) == [
        ("FL005", "ld.json", 1)
    ]


def test_cloud_platform_variables_are_not_flags(lint):
    app = 'import os\nif os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):\n    gcs()\n'
    assert codes(lint({".env": "SECRET_KEY=x\n", "app.py": app})) == []
