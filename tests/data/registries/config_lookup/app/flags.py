class FeatureFlagManager:
    def __init__(self) -> None:
        self._flags: dict[str, bool] = {}

    def init_app(self, app) -> None:
        self._flags = app.config["DEFAULT_FEATURE_FLAGS"]
        self._flags.update(app.config["FEATURE_FLAGS"])

    def is_feature_enabled(self, feature: str) -> bool:
        return self._flags.get(feature, False)


manager = FeatureFlagManager()
