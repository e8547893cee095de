"""Masukan rekan kerja (360): the penilai asks named colleagues for input on the BerAKHLAK values."""
from flask import Blueprint

bp = Blueprint("peer_input", __name__, template_folder="templates", url_prefix="/masukan-rekan")
