"""The SKP: list, create, edit, workflow, dialog kinerja, cascade."""
from flask import Blueprint

bp = Blueprint("plans", __name__, template_folder="templates", url_prefix="/skp")
