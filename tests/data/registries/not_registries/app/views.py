from app.lookups import empty, limit, logged, member, pick, to_bool


def view(table):
    if limit("uploads"):
        return 1
    if pick(table, "audit-lgo"):
        return 2
    if member("audit-lgo"):
        return 3
    if logged("audit-lgo"):
        return 4
    if empty("anything"):
        return 5
    if to_bool("maybe"):
        return 6
    return 0
