def parse(text):
    return text.split()


def _old_parse(text):
    return [text]
