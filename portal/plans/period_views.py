"""Performance periods (BKPSDM opens and closes years and sub-periods)."""
from flask import Blueprint

bp = Blueprint("periods", __name__, template_folder="templates", url_prefix="/periode")
