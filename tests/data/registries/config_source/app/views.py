from corp_flags import is_feature_enabled


def view():
    if is_feature_enabled("GLOBAL_ASYNC_QUERIES"):
        return 1
    if is_feature_enabled("THUMBNAIL"):
        return 2
    return 0
