from app import features


def view(org, name):
    if features.has("organizations:new-ui", org):
        return 1
    flag = "projects:%s" % name
    return features.has(flag, org)


def other(org, name, fallback):
    key = "organizations:" + name
    if fallback:
        key = fallback.key
    if features.has(key, org):
        return 2
    return 0
