from flask import current_app


class Feature:
    def __init__(self, name: str) -> None:
        self.name = name


class FeatureFlagManager:
    def __init__(self) -> None:
        self._flags: dict[str, bool] = {}

    def init_app(self, app) -> None:
        self._flags = app.config["DEFAULT_FEATURE_FLAGS"]
        self._flags.update(app.config["FEATURE_FLAGS"])

    def is_feature_enabled(self, name: str) -> bool:
        return self._flags.get(name, False)

    def has_for_batch(self, name: str, objects: list) -> dict:
        # the API's own generic lookup, by its key parameter: not a read by a computed key
        default = current_app.config["FEATURE_FLAGS"].get(name, False)
        return {obj: default for obj in objects}

    def explain(self, name: str) -> str:
        feature = Feature(name)
        # ... or by an attribute of an object built from it
        if current_app.config["FEATURE_FLAGS"].get(feature.name, False):
            return "on"
        return "off"


manager = FeatureFlagManager()


def enabled_among(names: list) -> list:
    # beside the API, not in it: a lookup by keys built at run time
    return [name for name in names if current_app.config["FEATURE_FLAGS"].get(name)]
