"""Tim kerja: teams, shared goals and their progress."""
from flask import Blueprint

bp = Blueprint("teams", __name__, template_folder="templates", url_prefix="/tim")
