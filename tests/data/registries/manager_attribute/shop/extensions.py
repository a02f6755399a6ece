from shop.utils.flags import FeatureFlagManager

feature_flag_manager = FeatureFlagManager()
