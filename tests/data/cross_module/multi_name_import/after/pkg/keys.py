KEY = "k"
