import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"shop.conf.{os.environ.get('STAGE', 'prod')}")
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("SHOP_SETTINGS", "shop.conf.prod")
