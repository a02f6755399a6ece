from app.toggles import enabled


def view():
    return enabled("checkout-v2") or enabled("checkuot-v2")
