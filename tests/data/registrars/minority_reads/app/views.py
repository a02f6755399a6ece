from app import features


def view(org):
    if features.has("organizations:new-ui", org):
        return 1
    if features.has("billing:seats", org):
        return 2
    return features.has("billing:invoices", org)
