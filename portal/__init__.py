"""Capaian: performance, career development and coaching for ASN of a local government."""
from flask import Flask

from portal.config import load_config


def create_app(config=None):
    """Build the application: config → extensions → blueprints → cli → errors."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder="core/static", template_folder="core/templates")
    load_config(app, config)
    from portal.core.web import IdConverter
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds its rules

    from portal.core import web
    web.init_extensions(app)
    web.register_blueprints(app)
    web.register_cli(app)
    from portal.core import errors
    errors.register(app)
    return app
