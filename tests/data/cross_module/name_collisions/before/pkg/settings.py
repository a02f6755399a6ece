ENABLE_V2 = False
