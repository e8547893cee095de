"""The baseline: a bare Flask app rendering a small Jinja template (same server, same machine)."""
from flask import Flask, render_template_string

app = Flask(__name__)

TEMPLATE = """<!doctype html><html lang="id"><head><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul></body></html>"""


@app.get("/")
def index():
    return render_template_string(TEMPLATE, title="Baseline", items=range(20))
