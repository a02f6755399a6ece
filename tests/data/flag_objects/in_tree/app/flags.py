from app.toggle import BetaToggle, Label, Toggle

FAST_SEARCH = Toggle("fast-search")
DARK_MODE = BetaToggle("dark-mode", default=True)
TITLE = Label("Welcome")
