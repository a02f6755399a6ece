SERVICES = {
    "exporter": lambda settings, manager: {"only_if": manager.has("organizations:old-export")},
}


def configure(make):
    return make(flag_name="projects:alerts")
