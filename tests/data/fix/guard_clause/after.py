def replay(journal):
    return 0


def main(journal):
    print(replay(journal))
