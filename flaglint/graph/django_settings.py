"""Django's ``settings`` object: which settings modules a read may reach.

``from django.conf import settings; settings.ENABLE_X`` (or
``getattr(settings, "ENABLE_X", False)``) reads ENABLE_X of whichever module
``DJANGO_SETTINGS_MODULE`` names at run time. The tree cannot say which, and
the deployment's own settings module (often outside the tree: a reusable
app's settings are its host's) may bind the name too. So such a read is
joined to the constant of that name in every settings module of the tree,
and it is a read the deployment may satisfy: it keeps the constant live,
never proves it off.

The settings modules of the tree are

* those the project names in ``DJANGO_SETTINGS_MODULE``, whatever their
  file is called (``sentry.conf.server``): a literal written in code
  (``os.environ.setdefault`` in ``manage.py``, ``wsgi.py``, a test plugin:
  :mod:`flaglint.extract.settings_names`), in test or tox configuration
  (``pytest.ini``, ``setup.cfg``, ``tox.ini``, ``pyproject.toml``), or in an
  environment source (``.env``, compose, a Dockerfile...). A name is looked
  up below the directory of the file that names it (``python manage.py``
  puts that directory first on ``sys.path``), then as written; a name
  no analysed module answers to (a generated module, a computed name) joins
  nothing;
* those found by name, as Django projects lay them out: ``settings.py``,
  ``test_settings.py``, or any module of a ``settings/`` package;
* and every module those star-import (``from .base import *``), transitively.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..facts import FileFacts
from .symbols import Symbol, SymbolTable

#: how code reaches the configured settings
SETTINGS_OBJECT = "django.conf.settings"
#: the environment variable naming the settings module
SETTINGS_VARIABLE = "DJANGO_SETTINGS_MODULE"


#: Django's own boolean settings (``django/conf/global_settings.py`` of
#: Django 5.2, with a few removed since that older projects still bind):
#: each has a meaning Django gives it, so a settings module's ``DEBUG =
#: False`` is configuration, not a feature flag the project forgot
FRAMEWORK_SETTINGS = frozenset(
    {
        "DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS", "USE_TZ", "USE_I18N", "USE_L10N", "USE_DEPRECATED_PYTZ",
        "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "EMAIL_USE_LOCALTIME", "EMAIL_USE_TLS",
        "EMAIL_USE_SSL", "FORMS_URLFIELD_ASSUME_HTTPS", "APPEND_SLASH", "PREPEND_WWW", "USE_THOUSAND_SEPARATOR",
        "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SESSION_SAVE_EVERY_REQUEST", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY", "CSRF_USE_SESSIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT",
        "SECURE_BROWSER_XSS_FILTER", "TEMPLATE_DEBUG", "USE_ETAGS",
    }
)  # fmt: skip


def is_framework_setting(symbol: Symbol) -> bool:
    """A module-level constant of a settings module named as one of
    Django's own settings (:data:`FRAMEWORK_SETTINGS`)."""
    module, name = symbol
    return name in FRAMEWORK_SETTINGS and is_settings_module(module)


def is_settings_module(module: str) -> bool:
    """``proj.settings``, ``proj.test_settings`` or ``proj.settings.production``:
    a settings module by name."""
    parts = module.split(".")
    return parts[-1] == "settings" or parts[-1].endswith("_settings") or (len(parts) > 1 and parts[-2] == "settings")


def imported_as(symbols: SymbolTable, module: str, ref: str) -> str:
    """``settings.X`` written in ``module`` under ``from django.conf import
    settings``: ``django.conf.settings.X``, its first name spelt out through
    the module's import (``ref`` as written when no import binds it)."""
    head, dot, rest = ref.partition(".")
    imp = symbols.imports.get(module, {}).get(head)
    if imp is None:
        return ref
    imported = f"{imp.module}.{imp.name}" if imp.name else imp.module
    return imported + dot + rest


def settings_modules(symbols: SymbolTable, named: Iterable[Tuple[str, str]] = ()) -> List[str]:
    """The tree's settings modules, in name order (an ambiguous name left
    out): those ``named`` as ``DJANGO_SETTINGS_MODULE`` ((module name, path
    of the file naming it), see :func:`named_settings`) that an analysed
    module answers to, those found by name, and the modules they
    star-import."""
    packages = _directory_packages(symbols)
    found = {m for m in symbols.modules if is_settings_module(m) and m not in symbols.ambiguous}
    for name, path in named:
        module = _named_module(symbols, name, packages.get(str(PurePosixPath(path).parent)))
        if module is not None:
            found.add(module)
    return sorted(_with_star_imports(symbols, found))


def named_settings(files: Sequence[FileFacts], sources) -> List[Tuple[str, str]]:
    """(module name, path of the file naming it) for each literal
    ``DJANGO_SETTINGS_MODULE`` of the code, the test and tox configuration,
    and the environment sources."""
    named = [(name, facts.path) for facts in files if facts.problem is None for name in facts.settings_names]
    named.extend((name, path) for name, path, _ in getattr(sources, "settings_names", ()))
    for assignment in getattr(sources, "env", {}).get(SETTINGS_VARIABLE, ()):
        if assignment.value:
            named.append((assignment.value.strip(), assignment.path))
    return named


def _directory_packages(symbols: SymbolTable) -> Dict[str, str]:
    """Directory (display path) -> the package its modules belong to ("" for
    a source root): what a name is below when that directory is on ``sys.path``."""
    packages: Dict[str, str] = {}
    for module, facts in symbols.modules.items():
        package = module if facts.is_package else module.rpartition(".")[0]
        packages.setdefault(str(PurePosixPath(facts.path).parent), package)
    return packages


def _named_module(symbols: SymbolTable, name: str, package: Optional[str]) -> Optional[str]:
    """The analysed module ``name`` names: below ``package`` (the naming
    file's own directory, first on ``sys.path`` for a script), else as written."""
    for candidate in (f"{package}.{name}" if package else "", name):
        module = symbols.primary(candidate) if candidate else None
        if module is not None:
            return module
    return None


def _with_star_imports(symbols: SymbolTable, modules: Iterable[str]) -> set:
    """``modules`` and every analysed module they star-import, transitively."""
    found: set = set()
    pending = list(modules)
    while pending:
        module = pending.pop()
        if module in found:
            continue
        found.add(module)
        for target in symbols.star_imports.get(module, ()):
            primary = symbols.primary(target)
            if primary is not None:
                pending.append(primary)
    return found


def settings_symbols(symbols: SymbolTable, modules: List[str], module: str, ref: str) -> List[Symbol]:
    """The constants a read of Django's ``settings.NAME`` written in
    ``module`` may reach: NAME in each of the settings ``modules`` (none for
    any other reference)."""
    prefix = SETTINGS_OBJECT + "."
    full = imported_as(symbols, module, ref) if modules else ""
    if not full.startswith(prefix) or "." in full[len(prefix) :]:
        return []
    name = full[len(prefix) :]
    if not name.isupper():  # Django takes only upper-case names from a settings module
        return []
    found: List[Symbol] = []
    for settings in modules:
        symbol = symbols.resolve(settings, name)
        if symbol is not None and symbol in symbols.definitions and symbol not in found:
            found.append(symbol)
    return found
