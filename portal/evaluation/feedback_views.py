"""Survei kepuasan masyarakat (IKM): the public form at /feedback/<unit_code>, its QR poster, and
each unit's index, grade and responses."""
from flask import Blueprint

bp = Blueprint("feedback", __name__, template_folder="templates")
