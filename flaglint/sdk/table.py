"""The flag-API table: plain data, one entry per SDK call flaglint recognises.

``Api.key`` is where the call passes the flag key (position and keyword
name, an :class:`~flaglint.facts.ArgSlot`) and ``Api.default`` where it
passes the value to fall back to; ``negated`` marks calls that are true when the flag is *off*
(``is_off``, ``flag_disabled``).

A method call (``client.variation(...)``) counts only when

* its receiver resolves, within the file, to the provider's module or to a
  client made from it (``client = ldclient.get()``,
  ``api.get_client().get_boolean_value(...)``, ``flags = fs.get_environment_flags()``), or
* its name is in :data:`DISTINCTIVE_METHODS`: names no other library is
  likely to use, counted whatever the receiver.

A plain function (``flag_is_active(request, "x")``) counts when its name is
imported from the module listed in :data:`FUNCTIONS`, or called through that
module (``waffle.flag_is_active``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple

from ..facts import ArgSlot


@dataclass(frozen=True)
class Api:
    key: ArgSlot  # where the flag key is passed
    negated: bool = False  # true when the flag is off
    default: ArgSlot = ArgSlot()  # where the default value the code passes is (ArgSlot(): none)


@dataclass(frozen=True)
class Provider:
    name: str
    modules: Tuple[str, ...]  # importing any of these names a client module
    methods: Dict[str, Api]


PROVIDERS: Dict[str, Provider] = {
    provider.name: provider
    for provider in (
        Provider(
            "launchdarkly",
            ("ldclient",),
            {
                "variation": Api(ArgSlot(0, "key"), default=ArgSlot(2, "default")),
                "bool_variation": Api(ArgSlot(0, "key"), default=ArgSlot(2, "default")),
                "variation_detail": Api(ArgSlot(0, "key"), default=ArgSlot(2, "default")),
            },
        ),
        Provider(
            "openfeature",
            ("openfeature",),
            {
                name: Api(ArgSlot(0, "flag_key"), default=ArgSlot(1, "default_value"))
                for name in (
                    "get_boolean_value",
                    "get_boolean_details",
                    "get_string_value",
                    "get_string_details",
                    "get_integer_value",
                    "get_integer_details",
                    "get_float_value",
                    "get_float_details",
                    "get_object_value",
                    "get_object_details",
                )
            },
        ),
        Provider(
            "unleash",
            ("UnleashClient",),
            {"is_enabled": Api(ArgSlot(0, "feature_name")), "get_variant": Api(ArgSlot(0, "feature_name"))},
        ),
        Provider(
            "flagsmith",
            ("flagsmith",),
            {
                "is_feature_enabled": Api(ArgSlot(0, "feature_name")),
                "get_feature_value": Api(ArgSlot(0, "feature_name")),
            },
        ),
        Provider("configcat", ("configcatclient",), {"get_value": Api(ArgSlot(0, "key"))}),
        Provider(
            "growthbook",
            ("growthbook",),
            {
                "is_on": Api(ArgSlot(0, "key")),
                "is_off": Api(ArgSlot(0, "key"), negated=True),
                "get_feature_value": Api(ArgSlot(0, "key")),
            },
        ),
        Provider("statsig", ("statsig",), {"check_gate": Api(ArgSlot(1, "gate"))}),
        Provider(
            "posthog",
            ("posthog",),
            {"feature_enabled": Api(ArgSlot(0, "key")), "is_feature_enabled": Api(ArgSlot(0, "key"))},
        ),
        Provider(
            "waffle",
            ("waffle",),
            {
                "flag_is_active": Api(ArgSlot(1, "flag_name")),
                "switch_is_active": Api(ArgSlot(0, "switch_name")),
                "sample_is_active": Api(ArgSlot(0, "sample_name")),
            },
        ),
        Provider(
            # functions only (see FUNCTIONS): a project's own ``flags`` package
            # must not make every ``flags.x(...)`` call a django-flags read
            "django-flags",
            ("flags.state",),
            {"flag_enabled": Api(ArgSlot(0, "flag_name")), "flag_disabled": Api(ArgSlot(0, "flag_name"), negated=True)},
        ),
    )
}

#: Module-level functions: dotted name -> (provider, api). Imported by name
#: (``from waffle import flag_is_active``) or called through the module.
FUNCTIONS: Dict[str, Tuple[str, Api]] = {
    "waffle.flag_is_active": ("waffle", Api(ArgSlot(1, "flag_name"))),
    "waffle.switch_is_active": ("waffle", Api(ArgSlot(0, "switch_name"))),
    "waffle.sample_is_active": ("waffle", Api(ArgSlot(0, "sample_name"))),
    "flags.state.flag_enabled": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "flags.state.flag_disabled": ("django-flags", Api(ArgSlot(0, "flag_name"), negated=True)),
    # URL patterns that exist only while a flag is on (django-flags 5.2 flags/urls.py)
    "flags.urls.flagged_path": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "flags.urls.flagged_re_path": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "flags.urls.flagged_paths": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "flags.urls.flagged_re_paths": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "posthog.feature_enabled": ("posthog", Api(ArgSlot(0, "key"))),
    "posthog.is_feature_enabled": ("posthog", Api(ArgSlot(0, "key"))),
    "statsig.statsig.check_gate": ("statsig", Api(ArgSlot(1, "gate"))),
    "statsig.check_gate": ("statsig", Api(ArgSlot(1, "gate"))),
}

#: Decorators that gate a whole view on a flag: dotted name -> (provider, api).
DECORATORS: Dict[str, Tuple[str, Api]] = {
    "waffle.decorators.waffle_flag": ("waffle", Api(ArgSlot(0, "flag_name"))),
    "waffle.decorators.waffle_switch": ("waffle", Api(ArgSlot(0, "switch_name"))),
    "flags.decorators.flag_check": ("django-flags", Api(ArgSlot(0, "flag_name"))),
    "flags.decorators.flag_required": ("django-flags", Api(ArgSlot(0, "flag_name"))),
}

#: Method names distinctive enough to count whatever the receiver, with
#: their provider. Generic names (``variation``, ``is_enabled``,
#: ``get_value``, ``is_on``, ``get_feature_value``, ``get_variant``,
#: ``feature_enabled``, ``is_feature_enabled``, the OpenFeature
#: string/number getters) need a resolved receiver.
DISTINCTIVE_METHODS: Dict[str, str] = {
    "variation_detail": "launchdarkly",
    "get_boolean_value": "openfeature",
    "get_boolean_details": "openfeature",
    "check_gate": "statsig",
}
