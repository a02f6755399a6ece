from app import features

EXPOSABLE = ["organizations:new-ui", "projects:alerts"]


def exposed(project):
    found = []
    for feature in EXPOSABLE:
        if features.has(feature, project):
            found.append(feature)
    return found


def more(project):
    names = ("projects:plugins",)
    return {name: features.has(name, project) for name in names}
