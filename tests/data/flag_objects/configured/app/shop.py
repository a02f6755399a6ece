from app.flags import NEW_CHECKOUT


def checkout():
    return "new" if NEW_CHECKOUT.on() else "old"
