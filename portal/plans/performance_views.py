"""The employee's performance home and the supervisor's inbox."""
from flask import Blueprint

bp = Blueprint("performance", __name__, template_folder="templates", url_prefix="/kinerja")
