"""Perjanjian Kinerja items of units (what heads of OPD intervene)."""
from flask import Blueprint

bp = Blueprint("targets", __name__, template_folder="templates", url_prefix="/perjanjian-kinerja")
