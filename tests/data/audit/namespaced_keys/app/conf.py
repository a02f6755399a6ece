FEATURES = {
    "organizations:api-keys": True,
    "organizations:profiling-beta": False,
    "organizations:old-thing": False,
    "organizations:sso": False,
}
