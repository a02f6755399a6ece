DEBUG = False

# the project's one settings module: its flags are what runs
FEATURE_FLAGS = {
    "NEW_UI": False,
    "SEARCH_V2": True,
    "UNUSED": False,
}
