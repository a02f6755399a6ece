ORDER_HOOKS = ["app.hooks.loaded_by_path"]
