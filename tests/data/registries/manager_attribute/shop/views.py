from shop import is_feature_enabled
from shop.extensions import feature_flag_manager


def reports():
    if is_feature_enabled("ALERT_REPORTS"):
        return "reports"
    if is_feature_enabled("ALERT_REPORT"):
        return "typo"
    return None


def embedded():
    if feature_flag_manager.is_feature_enabled("EMBEDDED_CHARTS"):
        return "embedded"
    return None


def drill():
    return is_feature_enabled("DRILL_TO_DETAIL")
