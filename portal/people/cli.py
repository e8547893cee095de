"""flask people …"""
from flask.cli import AppGroup

people_cli = AppGroup("people", help="Pegawai dan organisasi.")
