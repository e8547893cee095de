"""Evaluasi tim: every subordinate of the penilai with evaluation state, ratings and predikat for
a period, filled inline."""
from flask import Blueprint

bp = Blueprint("team_evaluations", __name__, template_folder="templates", url_prefix="/evaluasi-tim")
