"""Which files are flag sources, by name alone: the walk in
:func:`.load.walk_sources` asks these for every file it meets, so they read
nothing and import nothing."""

from __future__ import annotations

from pathlib import PurePath

#: encrypted or signed copies of an environment file: not readable as one
_NOT_ENV_SUFFIXES = (".gpg", ".enc", ".age", ".asc", ".sig", ".vault", ".kdbx", ".swp", ".bak", "~")
_COMPOSE_NAMES = frozenset({"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"})
_KUSTOMIZATIONS = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
_TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".jinja", ".jinja2", ".j2")
_TEMPLATE_DIRS = frozenset({"templates", "jinja2"})


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.local``, ``.env.production``... (not ``.envrc``, not
    an encrypted ``.env.gpg``)."""
    return name == ".env" or (name.startswith(".env.") and not name.endswith(_NOT_ENV_SUFFIXES))


def is_compose_file(name: str) -> bool:
    """``docker-compose.yml``, ``compose.yaml``, ``docker-compose.override.yml``..."""
    return name in _COMPOSE_NAMES or (name.startswith("docker-compose.") and name.endswith((".yml", ".yaml")))


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.prod``, ``api.Dockerfile``, ``Containerfile``."""
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or name.endswith((".Dockerfile", ".dockerfile"))
    )


def is_kustomization(name: str) -> bool:
    return name in _KUSTOMIZATIONS


def is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


def is_settings_file(name: str, directory: str) -> bool:
    """``settings.py``, or any module of a ``settings/`` package."""
    return name == "settings.py" or (name.endswith(".py") and PurePath(directory).name == "settings")


#: configuration that may name Django's settings module (pytest-django, tox)
_TEST_CONFIGS = frozenset({"pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml"})


def is_test_config(name: str) -> bool:
    """``pytest.ini``, ``setup.cfg``, ``tox.ini`` or ``pyproject.toml``: where
    ``DJANGO_SETTINGS_MODULE`` is named for the tests."""
    return name in _TEST_CONFIGS


def is_template_file(name: str, directory: str) -> bool:
    """An HTML, text or Jinja file under a ``templates/`` or ``jinja2/`` directory."""
    return name.endswith(_TEMPLATE_SUFFIXES) and not _TEMPLATE_DIRS.isdisjoint(PurePath(directory).parts)


#: ``.env.example`` and friends: a template for developers, not an environment
_EXAMPLE_SUFFIXES = (".example", ".sample", ".dist", ".template", ".tmpl", ".defaults", ".tpl")
#: directories holding development environments (VS Code dev containers)
_DEVELOPMENT_DIRS = frozenset({".devcontainer"})


def is_example(path: PurePath) -> bool:
    """A template or a development container's environment: it shows which
    variables exist, not what any deployment sets."""
    return path.name.lower().endswith(_EXAMPLE_SUFFIXES) or bool(_DEVELOPMENT_DIRS & set(path.parts))
