USE_I18N = False
