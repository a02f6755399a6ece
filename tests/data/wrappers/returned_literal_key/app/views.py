from app.sm import forward


def view(user):
    if forward("k_fwd", user):
        return 1
    return 0
