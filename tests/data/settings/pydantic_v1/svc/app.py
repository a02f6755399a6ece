from svc.settings import get_settings


def bill():
    settings = get_settings()
    if settings.new_billing:
        return "new"
    if settings.fast_export:
        return "fast"
    if settings.kill_switch:
        return "off"
    return "old"
