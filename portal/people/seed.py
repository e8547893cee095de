"""flask seed …"""
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Data demo dan data skala.")
