"""Organisation tree: browse units; BKPSDM maintains units, unit administrators their positions."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit import services as audit_services
from portal.auth.models import Role
from portal.core.forms import ConfirmForm, coerce_int
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.people import services, unit_services
from portal.people.models import OrgUnit, Position
from portal.people.unit_forms import PositionForm, UnitForm, UnitSearchForm

bp = Blueprint("units", __name__, template_folder="templates", url_prefix="/unit")

UNIT_EDITORS = (Role.BKPSDM, Role.SUPERADMIN)
POSITION_EDITORS = (Role.ADMIN_OPD, Role.BKPSDM, Role.SUPERADMIN)


def _paginate(stmt):
    # Flask-SQLAlchemy reads ?page= itself; error_out=False turns bad values into page 1.
    return db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False, count=True)


def _attach_error(form, exc):
    field = getattr(form, exc.field or "", None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = list(field.errors) + [str(exc)]


@bp.get("/")
@allow(AUTHENTICATED)
def list_units():
    form = UnitSearchForm(request.args)
    form.validate()
    q = form.q.data if form.q.data and not form.q.errors else None
    # Inactive units matter to those who maintain the tree, not to everyone else.
    include_inactive = current_user.manages_whole_instansi
    tree = page = None
    paths = counts = {}
    if q:
        page = _paginate(unit_services.search_units(q, include_inactive))
        paths = unit_services.ancestor_paths(page.items)
        counts = unit_services.employee_counts([u.id for u in page.items])
    else:
        tree = unit_services.unit_tree(include_inactive)
    return render_page("units/list.html", "units/_results.html", form=form, q=q, tree=tree,
                       page=page, paths=paths, counts=counts,
                       can_create=current_user.manages_whole_instansi)


@bp.get("/<int:unit_id>")
@allow(AUTHENTICATED)
def show_unit(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(unit.can_view(current_user))
    children = unit_services.child_units(unit, include_inactive=current_user.manages_whole_instansi)
    return render_template(
        "units/show.html", unit=unit,
        ancestors=unit_services.ancestor_paths([unit])[unit.id],
        children=children, child_counts=unit_services.employee_counts([c.id for c in children]),
        positions=unit_services.positions_with_holders(unit),
        page=_paginate(unit_services.members_query(unit)),
        timeline=audit_services.timeline(unit, current_user),
        can_edit=unit.can_edit(current_user),
        can_manage_positions=current_user.manages_unit(unit),
        ikm=_unit_ikm(unit),
        confirm_form=ConfirmForm())


def _unit_ikm(unit):
    """The unit's IKM for the current year, for those who may read it (else None)."""
    from portal.evaluation import feedback_services
    if not feedback_services.can_view_ikm(current_user, unit):
        return None
    start, end = feedback_services.current_year_range()
    return {"summary": feedback_services.unit_ikm(unit, start, end), "year": end.year}


@bp.route("/baru", methods=["GET", "POST"])
@allow(*UNIT_EDITORS)
def new_unit():
    ensure(current_user.manages_whole_instansi)
    root = services.instansi_root()
    form = UnitForm(data={"parent": coerce_int(request.args.get("induk"))} if request.method == "GET" else None)
    form.set_choices(unit_services.parent_choices(), is_root=root is None)
    if form.validate_on_submit():
        parent = db.session.get(OrgUnit, form.parent.data) if form.parent.data else None
        ensure(parent is None or parent.can_edit(current_user))
        try:
            unit = services.create_unit(form.name.data, form.kind.data, parent)
        except services.PeopleError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Unit %(name)s sudah ditambahkan.", name=unit.name), "success")
            return redirect(url_for("units.show_unit", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/ubah", methods=["GET", "POST"])
@allow(*UNIT_EDITORS)
def edit_unit(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(unit.can_edit(current_user))
    form = UnitForm(data={"name": unit.name, "kind": unit.kind, "parent": unit.parent_id}
                    if request.method == "GET" else None)
    form.set_choices(unit_services.parent_choices(unit), is_root=unit.parent_id is None)
    if form.validate_on_submit():
        parent = db.session.get(OrgUnit, form.parent.data) if form.parent.data else None
        ensure(parent is None or parent.can_edit(current_user))
        try:
            services.update_unit(unit, name=form.name.data, kind=form.kind.data, parent=parent)
        except services.PeopleError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Unit %(name)s sudah disimpan.", name=unit.name), "success")
            return redirect(url_for("units.show_unit", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/nonaktifkan")
@allow(*UNIT_EDITORS)
def deactivate_unit(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(unit.can_edit(current_user))
    if ConfirmForm().validate_on_submit():
        try:
            unit_services.deactivate_unit(unit)
        except services.PeopleError as exc:
            db.session.rollback()
            flash(_("Unit tidak dapat dinonaktifkan: %(reason)s", reason=exc), "danger")
        else:
            db.session.commit()
            flash(_("Unit %(name)s sudah dinonaktifkan.", name=unit.name), "success")
    return redirect(url_for("units.show_unit", unit_id=unit.id))


@bp.post("/<int:unit_id>/aktifkan")
@allow(*UNIT_EDITORS)
def activate_unit(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(unit.can_edit(current_user))
    if ConfirmForm().validate_on_submit():
        try:
            unit_services.activate_unit(unit)
        except services.PeopleError as exc:
            db.session.rollback()
            flash(_("Unit tidak dapat diaktifkan: %(reason)s", reason=exc), "danger")
        else:
            db.session.commit()
            flash(_("Unit %(name)s sudah diaktifkan kembali.", name=unit.name), "success")
    return redirect(url_for("units.show_unit", unit_id=unit.id))


def _position_values(form):
    return {"name": form.name.data, "kind": form.kind.data, "grade": form.grade.data,
            "is_head": form.is_head.data}


@bp.route("/<int:unit_id>/jabatan/baru", methods=["GET", "POST"])
@allow(*POSITION_EDITORS)
def new_position(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(current_user.manages_unit(unit))
    form = PositionForm()
    if form.validate_on_submit():
        try:
            position = unit_services.add_position(unit, **_position_values(form))
        except services.PeopleError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Jabatan %(name)s sudah ditambahkan.", name=position.name), "success")
            return redirect(url_for("units.show_unit", unit_id=unit.id, _anchor="jabatan"))
    return render_template("units/position_form.html", form=form, unit=unit, position=None)


@bp.route("/<int:unit_id>/jabatan/<int:position_id>/ubah", methods=["GET", "POST"])
@allow(*POSITION_EDITORS)
def edit_position(unit_id, position_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    position = db.get_or_404(Position, position_id)
    if position.org_unit_id != unit.id:
        abort(404)
    ensure(current_user.manages_unit(unit))
    form = PositionForm(data={"name": position.name, "kind": position.kind, "grade": position.grade,
                              "is_head": position.is_head} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changes = unit_services.update_position(position, **_position_values(form))
        except services.PeopleError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Jabatan %(name)s sudah disimpan.", name=position.name) if changes
                  else _("Tidak ada perubahan."), "success" if changes else "info")
            return redirect(url_for("units.show_unit", unit_id=unit.id, _anchor="jabatan"))
    return render_template("units/position_form.html", form=form, unit=unit, position=position)
