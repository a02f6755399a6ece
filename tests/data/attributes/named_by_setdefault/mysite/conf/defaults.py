ENABLE_GAMMA_EXPORT = False
enable_lower_case = False
