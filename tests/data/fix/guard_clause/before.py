ENABLE_REPLAY = False


def replay(journal):
    if not ENABLE_REPLAY:
        return 0
    count = 0
    for entry in journal:
        apply(entry)
        count += 1
    return count


def main(journal):
    print(replay(journal))
