has_issue_states = True
show_legacy = False
forgotten = False


def context():
    return {"has_issue_states": has_issue_states, "legacy": show_legacy}
