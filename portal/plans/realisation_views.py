"""Realisasi per IKI per sub-period, bukti dukung and umpan balik."""
from flask import Blueprint

bp = Blueprint("realisations", __name__, template_folder="templates", url_prefix="/realisasi")
