LEGACY_PARSER = False


def parse(text):
    if LEGACY_PARSER:
        return _old_parse(text)
    return text.split()


def _old_parse(text):
    return [text]
