from app import beta, delta, gamma


def view(rows):
    if beta.ENABLE_BETA:
        rows = rows[::-1]
    if gamma.ENABLE_GAMMA:
        rows = rows[1:]
    if delta.ENABLE_DELTA:
        rows = []
    return rows
