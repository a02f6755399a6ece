FEATURES = {
    "organizations:new-ui": False,
    "organizations:old-export": False,
    "organizations:never-registered": False,
}
