from app.flags import is_feature_enabled, validate_feature_flags


@validate_feature_flags(["THUMBNAILS", "SCREENSHOT"])
def thumbnail():
    return "png"


def tags():
    if is_feature_enabled("TAGGING"):
        return ["a"]
    return []
