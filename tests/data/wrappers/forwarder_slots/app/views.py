from app.flags import by_keyword, by_position, check, require_all, scoped, unsure


def view(*regions):
    if by_position("by-position"):
        return 1
    if by_keyword("by-keyword"):
        return 2
    if scoped("after-star", "eu"):
        return 3
    if require_all(["each-a", "each-b"]):
        return 4
    if unsure("unsure-off"):  # not known to read unsure-off: no finding
        return 5
    if check(*regions, flag="star-call"):  # a call site passing the key after *args
        return 6
    return 0
