class FeatureFlagManager:
    def __init__(self) -> None:
        self._feature_flags: dict[str, bool] = {}

    def init_app(self, app) -> None:
        self._feature_flags = app.config["DEFAULT_FEATURE_FLAGS"]
        self._feature_flags.update(app.config["FEATURE_FLAGS"])

    def is_feature_enabled(self, feature: str) -> bool:
        if feature in self._feature_flags:
            return self._feature_flags[feature]
        return False
