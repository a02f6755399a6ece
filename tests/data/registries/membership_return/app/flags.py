LISTED = {"present-off": False, "present-on": True}
FLAGS = {"guarded-off": False, "guarded-on": True, "never-read": True}


def is_listed(name):
    return name in LISTED  # presence, not the value: "present-off" is listed, so this says yes


def is_on(name):
    return name in FLAGS and FLAGS[name]  # the value, where the key is defined
