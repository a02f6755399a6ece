"""Row formats."""


def legacy_row(row):
    return ";".join(_cell(cell) for cell in row)


def _cell(cell):
    return str(cell)


def json_row(row):
    return list(row)
