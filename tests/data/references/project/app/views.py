# fflag_only_python_comment is not read: a Python mention is no read
VALUE = 1
