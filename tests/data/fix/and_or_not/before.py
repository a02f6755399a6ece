VERBOSE = False


def describe(item, extra):
    quiet = not VERBOSE
    label = VERBOSE and item.long_name()
    name = VERBOSE or item.short_name()
    count(item); VERBOSE and dump(item)
    if extra and VERBOSE:
        print(item)
    if not VERBOSE and extra:
        print(name)
    while extra or VERBOSE:
        extra = step(extra)
    if VERBOSE == False:
        tidy(item)
    if bool(VERBOSE) is True:
        dump(item)
    return quiet, label, name
