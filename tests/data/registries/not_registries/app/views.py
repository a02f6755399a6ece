from app.lookups import empty, limit, logged, member, pick


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
    return 0
