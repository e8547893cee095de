"""Capaian kinerja organisasi: each unit's predikat per period, and the distribution of its staff's
predikat against the guide."""
from flask import Blueprint

bp = Blueprint("org_capaian", __name__, template_folder="templates", url_prefix="/capaian-organisasi")
