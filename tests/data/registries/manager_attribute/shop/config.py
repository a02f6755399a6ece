import os

DEFAULT_FEATURE_FLAGS: dict[str, bool] = {
    "ALERT_REPORTS": False,
    "EMBEDDED_CHARTS": False,
    "DRILL_TO_DETAIL": True,
    "LEGACY_EXPORT": False,
}

# any flag may also come from the environment
DEFAULT_FEATURE_FLAGS.update(
    {key[len("SHOP_FEATURE_"):]: value == "1" for key, value in os.environ.items() if key.startswith("SHOP_FEATURE_")}
)

FEATURE_FLAGS: dict[str, bool] = {}
