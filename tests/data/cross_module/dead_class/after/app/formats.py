"""Row formats."""


def json_row(row):
    return list(row)
