from app.flags import enabled, enabled_pos, for_user, hopeful, is_on, is_on_pos


def view():
    if is_on("kw-on", default=True):  # not served: the caller's default is on
        return 1
    if is_on("kw-off"):  # not served: the wrapper's default is off
        return 2
    if is_on_pos("pos-on", True):  # the same default, passed by position
        return 3
    if enabled("fwd-on", default=True):  # a forwarder passes the caller's default on
        return 4
    if enabled("fwd-off"):  # ... or its own, off
        return 5
    if enabled_pos("fwd-pos-on", True):  # a positional parameter forwarded by keyword
        return 6
    if hopeful("hopeful-on"):  # a forwarder whose own default is on
        return 7
    if hopeful("hopeful-off", default=False):
        return 8
    if is_on("missing-on", default=True):  # no source defines it: the caller's default applies
        return 9
    if enabled("missing-off"):
        return 10
    if for_user("ctx-off"):  # its parameter that defaults on is not the default
        return 11
    return 0
