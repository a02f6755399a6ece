"""Unleash feature exports, read by the Unleash SDK (``sdk:unleash:<name>``).

Three shapes, all ``{"features": [...]}`` at the top (JSON or YAML):

* the client API (``/api/client/features``, the file
  ``UnleashClient``'s bootstrap reads) and the version 1 state export: each
  feature has ``enabled`` and ``strategies``;
* the state export of Unleash 4 (``"version": 3``/``4``): features without
  ``enabled``, plus ``featureStrategies`` (``featureName``, ``environment``)
  and ``featureEnvironments`` (``featureName``, ``environment``,
  ``enabled``), and ``environments`` (an environment can be disabled);
* the export of Unleash 5 to 7 (export-import API, one environment):
  ``featureStrategies`` without ``environment`` and ``featureEnvironments``.

What a feature can do, following the Unleash client specification
(``client-specification/specifications/01`` and ``10``):

* archived: the client never sees it, the code's default applies;
* disabled (in every environment it is exported for): off;
* enabled with no strategies, or with a ``default`` strategy, a
  ``flexibleRollout`` at 100 % with ``default``/``random`` stickiness, or a
  ``gradualRolloutRandom`` at 100 %, without constraints or segments: on;
* a strategy at 0 % serves nobody; any other strategy (``userWithId``, a
  rollout below 100 % or sticky on a context field, constraints, segments,
  a custom strategy) can be on for some: live. Strategies add up: one on
  for everyone makes the feature on;
* a feature with dependencies is on only when its parents are: live;
* exported for several environments with different outcomes: live.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from .model import FALLBACK, FORMAT_UNLEASH, LIVE, OFF, ON, FlagDefinition, SourceError

_NAME = re.compile(r"""["']?name["']?\s*:\s*["']?([^"',}\s]+)""")
_ROLLOUT_PARAMETER = {
    "flexibleRollout": "rollout",
    "gradualRolloutRandom": "percentage",
    "gradualRolloutUserId": "percentage",
    "gradualRolloutSessionId": "percentage",
}
#: rollouts at 100 % that serve everyone, even without a user or session id
_EVERYONE_STICKINESS = (None, "", "default", "random")


def is_unleash(data: dict) -> bool:
    return "features" in data and "flags" not in data and "flagValues" not in data


def unleash_definitions(data: dict, text: str, display: str) -> List[FlagDefinition]:
    features = _list(data, "features")
    strategies = _list(data, "featureStrategies")
    environments = _list(data, "featureEnvironments")
    disabled_environments = {
        item.get("name")
        for item in _list(data, "environments")
        if isinstance(item, dict) and item.get("enabled") is False
    }
    depends = {item.get("feature") for item in _list(data, "dependencies") if isinstance(item, dict)}
    lines: Dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in _NAME.finditer(line):
            lines.setdefault(match.group(1), number)
    found = []
    for feature in features:
        name = feature.get("name") if isinstance(feature, dict) else None
        if not isinstance(name, str) or not name:
            raise SourceError("every feature must be a mapping with a 'name'")
        state, why = _feature_state(feature, strategies, environments, disabled_environments)
        if state == ON and (feature.get("dependencies") or name in depends):
            state, why = LIVE, "it depends on other features"
        found.append(FlagDefinition(name, state, why, FORMAT_UNLEASH, display, lines.get(name, 1)))
    return found


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SourceError(f"'{key}' must be a list")
    return value


def _feature_state(feature: dict, strategies: list, environments: list, disabled: set) -> Tuple[str, str]:
    name = feature["name"]
    if feature.get("archived"):
        return FALLBACK, "it is archived"
    exported = [
        item
        for item in environments
        if isinstance(item, dict) and item.get("featureName") == name and item.get("environment") not in disabled
    ]
    if exported:
        states = {}
        for item in exported:
            environment = item.get("environment")
            if not item.get("enabled"):
                states[environment] = (OFF, "it is disabled")
                continue
            own = [
                strategy
                for strategy in strategies
                if isinstance(strategy, dict)
                and strategy.get("featureName") == name
                and strategy.get("environment", environment) == environment
            ]
            states[environment] = _strategies_state(own)
        return _combine(states)
    if "enabled" in feature:
        if not feature["enabled"]:
            return OFF, "it is disabled"
        own = feature.get("strategies", [])
        if not isinstance(own, list):
            raise SourceError(f"feature {name!r}: 'strategies' must be a list")
        return _strategies_state(own)
    return LIVE, "the export does not say whether it is enabled"


def _combine(states: Dict[Optional[str], Tuple[str, str]]) -> Tuple[str, str]:
    kinds = {state for state, _ in states.values()}
    if len(kinds) > 1:
        return LIVE, "it is on in some environments and not in others"
    state, why = next(iter(states.values()))
    if len(states) > 1:
        return state, f"{why} in every environment"
    return state, why


def _strategies_state(strategies: list) -> Tuple[str, str]:
    active = [strategy for strategy in strategies if isinstance(strategy, dict) and not strategy.get("disabled")]
    if not strategies:
        return ON, "it is enabled with no strategies, which is on for everyone"
    if not active:
        return LIVE, "every strategy is disabled"
    states = [_strategy_state(strategy) for strategy in active]
    on = next((state for state in states if state[0] == ON), None)
    if on is not None:
        return on
    if all(state == OFF for state, _ in states):
        return OFF, "its strategies serve nobody (rollout at 0 %)"
    return LIVE, next(why for state, why in states if state == LIVE)


def _strategy_state(strategy: dict) -> Tuple[str, str]:
    name = strategy.get("name") or strategy.get("strategyName")
    given = strategy.get("parameters")
    parameters = given if isinstance(given, dict) else {}
    if name in _ROLLOUT_PARAMETER:
        percent = _percent(parameters.get(_ROLLOUT_PARAMETER[name]))
        if percent == 0:
            return OFF, f"its {name} strategy is at 0 %"
        everyone = percent == 100 and (
            name == "gradualRolloutRandom"
            or (name == "flexibleRollout" and parameters.get("stickiness") in _EVERYONE_STICKINESS)
        )
        state = (
            (ON, f"its {name} strategy is at 100 %") if everyone else (LIVE, f"its {name} strategy serves some users")
        )
    elif name == "default":
        state = (ON, "its default strategy is on for everyone")
    else:
        return LIVE, f"its {name!r} strategy can be on for some users"
    if state[0] == ON and (strategy.get("constraints") or strategy.get("segments")):
        return LIVE, f"its {name} strategy has constraints"
    return state


def _percent(value) -> Optional[int]:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 <= number <= 100 else None
