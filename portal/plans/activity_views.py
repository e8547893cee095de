"""Laporan harian: the daily activity log."""
from flask import Blueprint

bp = Blueprint("activities", __name__, template_folder="templates", url_prefix="/laporan-harian")
