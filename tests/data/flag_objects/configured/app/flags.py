from vendor_toggles import Switch

NEW_CHECKOUT = Switch("new-checkout")
OLD_CART = Switch("old-cart")
