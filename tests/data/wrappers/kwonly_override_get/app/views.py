from app.flags import enabled


def view():
    if enabled(flag_key="forced-off"):  # the file serves it on; the override fixes it off
        return 1
    if enabled(flag_key="forced-on"):  # the file serves it off; the override fixes it on
        return 2
    if enabled(flag_key="served-off"):
        return 3
    if enabled("served-off"):  # keyword-only: a positional argument is not the key
        return 4
    return 0
