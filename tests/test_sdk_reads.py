"""Feature-flag SDK calls as flag reads, from the data table in flaglint.sdk."""

from __future__ import annotations

import pytest

from flaglint.extract.extract import extract_source
from flaglint.keys import is_keyed
from flaglint.sdk import DISTINCTIVE_METHODS, PROVIDERS


def reads(source: str):
    """Keyed reads (possible wrapper calls, ``call:...``, are the graph's to judge)."""
    facts = extract_source(source, "app.py", "app")
    return [
        (read.ref, read.span.line, read.gate.line if read.gate else None) for read in facts.reads if is_keyed(read.ref)
    ]


@pytest.mark.parametrize(
    "setup, call, key",
    [
        ("import ldclient\nclient = ldclient.get()\n", "client.variation('k', ctx, False)", "sdk:launchdarkly:k"),
        ("import ldclient\n", "ldclient.get().bool_variation('k', ctx, False)", "sdk:launchdarkly:k"),
        (
            "from ldclient import LDClient\nld = LDClient(cfg)\n",
            "ld.variation_detail('k', ctx, False)",
            "sdk:launchdarkly:k",
        ),
        (
            "from openfeature import api\nclient = api.get_client()\n",
            "client.get_boolean_value('k', False)",
            "sdk:openfeature:k",
        ),
        (
            "from openfeature import api\nclient = api.get_client()\n",
            "client.get_string_value(flag_key='k', default_value='x')",
            "sdk:openfeature:k",
        ),
        ("from openfeature import api\n", "api.get_client().get_integer_value('k', 0)", "sdk:openfeature:k"),
        (
            "from UnleashClient import UnleashClient\nclient = UnleashClient(url, app)\n",
            "client.is_enabled('k')",
            "sdk:unleash:k",
        ),
        (
            "from UnleashClient import UnleashClient\nclient = UnleashClient(url, app)\n",
            "client.get_variant('k')",
            "sdk:unleash:k",
        ),
        (
            "from flagsmith import Flagsmith\nfs = Flagsmith(key)\nflags = fs.get_environment_flags()\n",
            "flags.is_feature_enabled('k')",
            "sdk:flagsmith:k",
        ),
        ("import configcatclient\ncc = configcatclient.get(key)\n", "cc.get_value('k', False)", "sdk:configcat:k"),
        ("from growthbook import GrowthBook\ngb = GrowthBook()\n", "gb.is_on('k')", "sdk:growthbook:k"),
        (
            "from growthbook import GrowthBook\ngb = GrowthBook()\n",
            "gb.get_feature_value('k', False)",
            "sdk:growthbook:k",
        ),
        ("from statsig import statsig\n", "statsig.check_gate(user, 'k')", "sdk:statsig:k"),
        ("import posthog\n", "posthog.feature_enabled('k', uid)", "sdk:posthog:k"),
        ("from waffle import flag_is_active\n", "flag_is_active(request, 'k')", "sdk:waffle:k"),
        ("import waffle\n", "waffle.switch_is_active('k')", "sdk:waffle:k"),
        ("from waffle import sample_is_active\n", "sample_is_active('k')", "sdk:waffle:k"),
        ("from flags.state import flag_enabled\n", "flag_enabled('K', request=request)", "sdk:django-flags:K"),
        (
            "KEY = 'k'\nimport ldclient\nclient = ldclient.get()\n",
            "client.variation(KEY, ctx, False)",
            "sdk:launchdarkly:k",
        ),
        (
            "class Svc:\n    pass\n",
            "self_client.variation_detail('k', ctx, False)",
            "sdk:launchdarkly:k",
        ),  # distinctive
    ],
)
def test_sdk_calls_gate_code(setup, call, key):
    source = f"{setup}if {call}:\n    on()\n"
    line = setup.count("\n") + 1
    assert reads(source) == [(key, line, line + 1)]


def test_negated_apis_gate_the_else_branch():
    source = "from growthbook import GrowthBook\ngb = GrowthBook()\nif gb.is_off('k'):\n    a()\nelse:\n    b()\n"
    assert reads(source) == [("sdk:growthbook:k", 3, 6)]
    source = "from flags.state import flag_disabled\nif flag_disabled('K'):\n    a()\n"
    assert reads(source) == [("sdk:django-flags:K", 2, None)]


@pytest.mark.parametrize(
    "source",
    [
        "class Cache:\n    pass\nif cache.is_enabled('k'):\n    a()\n",  # generic name, unresolved receiver
        "if settings.get_value('k', False):\n    a()\n",
        "if gb.is_on('k'):\n    a()\n",
        "def flag_is_active(request, name):\n    return True\nif flag_is_active(request, 'k'):\n    a()\n",  # not waffle's
        "import ldclient\nif something.variation('k', ctx, False):\n    a()\n",
    ],
)
def test_calls_that_are_not_sdk_reads(source):
    assert reads(source) == []


def test_reads_outside_tests_are_recorded_without_a_gate():
    source = "import ldclient\nclient = ldclient.get()\ncolour = client.variation('button-colour', ctx, 'blue')\n"
    assert reads(source) == [("sdk:launchdarkly:button-colour", 3, None)]


def test_run_time_keys_are_recorded_never_guessed():
    source = "import ldclient\nclient = ldclient.get()\ndef f(name):\n    if client.variation(f'beta-{name}', ctx, False):\n        a()\n"
    facts = extract_source(source, "app.py", "app")
    assert facts.reads == ()
    assert [(d.provider, d.api, d.expression, d.span.line, d.scope) for d in facts.dynamic_keys] == [
        ("launchdarkly", "variation", "f'beta-{name}'", 4, "f")
    ]


def test_decorators_gate_the_view():
    source = (
        "from waffle.decorators import waffle_flag\nfrom flags.decorators import flag_check\n\n"
        "@waffle_flag('beta')\ndef view(request):\n    return 1\n\n"
        "@flag_check('NEW', True)\ndef other(request):\n    return 2\n\n"
        "@flag_check('NEW', False)\ndef fallback(request):\n    return 3\n"
    )
    assert reads(source) == [("sdk:waffle:beta", 4, 6), ("sdk:django-flags:NEW", 8, 10)]


def test_keys_from_other_modules(lint):
    from flaglint import api
    from flaglint.graph.build import FlagGraph

    files = {
        "svc/__init__.py": "",
        "svc/keys.py": "NEW_UI = 'new-ui'\n",
        "svc/app.py": (
            "import ldclient\nfrom svc import keys\nfrom svc.keys import NEW_UI\nfrom elsewhere import OTHER\n\n"
            "client = ldclient.get()\n\ndef f(ctx):\n"
            "    if client.variation(keys.NEW_UI, ctx, False):\n        a()\n"
            "    if client.bool_variation(NEW_UI, ctx, False):\n        b()\n"
            "    if client.variation(OTHER, ctx, False):\n        c()\n"
        ),
    }
    assert lint(files) == ()  # SDK flags with no local source are unknown: never FL001
    _, facts = api.collect_facts(["."])
    graph = FlagGraph(facts)
    assert {key: [site.span.line for site in flag.reads] for key, flag in graph.keyed.items()} == {
        "sdk:launchdarkly:new-ui": [9, 11]
    }
    assert [(path, read.key_ref, read.span.line) for path, read in graph.unresolved_keys] == [
        ("svc/app.py", "OTHER", 13)
    ]


def test_table_is_consistent():
    for name, provider in PROVIDERS.items():
        assert provider.name == name and provider.modules and provider.methods
    for method, provider in DISTINCTIVE_METHODS.items():
        assert method in PROVIDERS[provider].methods


def test_a_project_package_called_flags_is_not_django_flags():
    source = "import flags\nif flags.flag_enabled('X'):\n    a()\nfrom flags.state import flag_enabled\nif flag_enabled('Y'):\n    b()\n"
    assert reads(source) == [("sdk:django-flags:Y", 5, 6)]
