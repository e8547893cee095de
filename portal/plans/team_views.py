"""Tim kerja: teams, shared goals and their progress."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.core.forms import ConfirmForm, attach_error, choice_list, coerce_int, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.people import rules as people_rules
from portal.people import services as people_services
from portal.people.models import Employee, OrgUnit
from portal.plans import rules
from portal.plans import team_services as services
from portal.plans.models import PerformancePeriod, PeriodStatus, Team, TeamGoal, TeamMember
from portal.plans.team_forms import EditTeamForm, GoalForm, MemberForm, TeamFilterForm, TeamForm

bp = Blueprint("teams", __name__, template_folder="templates", url_prefix="/tim")


def _load_team(team_id) -> Team:
    return db.get_or_404(Team, team_id, options=[
        joinedload(Team.leader).joinedload(Employee.position), joinedload(Team.leader).joinedload(Employee.org_unit),
        joinedload(Team.org_unit), joinedload(Team.period)])


def _load_goal(team, goal_id) -> TeamGoal:
    goal = db.get_or_404(TeamGoal, goal_id)
    if goal.team_id != team.id:
        abort(404)
    return goal


# ---------------------------------------------------------------- list
@bp.get("/")
@allow(AUTHENTICATED)
def list_teams():
    filters = TeamFilterForm(request.args)
    periods = db.session.scalars(db.select(PerformancePeriod).order_by(PerformancePeriod.year.desc())).all()
    filters.tahun.choices = choice_list([(p.year, str(p.year)) for p in periods])
    filters.validate()
    period = next((p for p in periods if p.year == filters.tahun.data), None) or services.current_period()
    filters.tahun.data = period.year if period else None
    page = None
    if period is not None:
        stmt = services.team_query(current_user, period, q=filters.q.data if not filters.q.errors else None)
        page = db.paginate(services.with_list_details(stmt), page=page_number(),
                           per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    return render_page("plans/team/list.html", "plans/team/_results.html", filters=filters, page=page,
                       period=period, can_create=services.can_create_team(current_user),
                       me=current_user.employee)


# ---------------------------------------------------------------- create and edit
def _unit_choices(extra_unit=None):
    if current_user.manages_whole_instansi:
        return people_services.unit_choices()
    choices = []
    for scope in current_user.admin_units:
        choices.extend(people_services.unit_choices(within=scope))
    seen = {unit_id for unit_id, _name in choices}
    for unit in (current_user.employee.org_unit if services.is_structural(current_user.employee) else None,
                 extra_unit):
        if unit is not None and unit.id not in seen:
            choices.append((unit.id, unit.name))
            seen.add(unit.id)
    return choices


def _resolve_leader(form):
    raw = people_rules.normalise_nip(form.leader_nip.data)
    if not raw:
        if current_user.employee is None:
            form.leader_nip.errors = [*form.leader_nip.errors, _("Isi NIP ketua tim.")]
            return None
        return current_user.employee
    leader = db.session.scalar(db.select(Employee).where(Employee.nip == raw))
    if leader is None:
        form.leader_nip.errors = [*form.leader_nip.errors,
                                  _("Tidak ada pegawai dengan NIP %(nip)s di instansi ini.", nip=raw[:30])]
    return leader


def _check_placement(form, leader, unit):
    if services.may_place(current_user, leader, unit):
        return True
    form.form_errors.append(_("Anda hanya dapat membentuk tim yang Anda pimpin sendiri, di unit kerja Anda."))
    return False


def _picks_leader():
    """Admins pick any leader; a structural official leads their own teams."""
    return bool(current_user.manages_whole_instansi or current_user.admin_units)


@bp.route("/baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_team():
    ensure(services.can_create_team(current_user))
    form = TeamForm()
    periods = db.session.scalars(db.select(PerformancePeriod).where(PerformancePeriod.status != PeriodStatus.CLOSED)
                                 .order_by(PerformancePeriod.year.desc())).all()
    form.period.choices = choice_list([(p.id, str(p.year)) for p in periods])
    form.org_unit.choices = choice_list([(None, _("Pilih unit pemilik"))] + _unit_choices())
    if request.method == "GET":
        current = services.current_period()
        form.period.data = current.id if current is not None and current in periods else None
        me = current_user.employee
        form.org_unit.data = me.org_unit_id if me is not None and not _picks_leader() else None
    if request.method == "POST" and form.validate():
        period = db.session.get(PerformancePeriod, form.period.data)
        unit = db.session.get(OrgUnit, form.org_unit.data)
        leader = _resolve_leader(form) if _picks_leader() else current_user.employee
        if period is None:
            form.period.errors = [*form.period.errors, _("Pilih periode kinerja.")]
        elif leader is not None and _check_placement(form, leader, unit):
            try:
                team = services.create_team(period, name=form.name.data, description=form.description.data,
                                            leader=leader, org_unit=unit)
            except services.TeamError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                flash(_("Tim %(name)s sudah dibentuk. Tambahkan anggota dan sasaran tim.", name=team.name), "success")
                return redirect(url_for("teams.show_team", team_id=team.id))
    return render_template("plans/team/form.html", form=form, team=None, picks_leader=_picks_leader())


@bp.route("/<int:team_id>/ubah", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_team(team_id):
    team = _load_team(team_id)
    ensure(team.can_manage(current_user))
    form = EditTeamForm(formdata=None, obj=team) if request.method == "GET" else EditTeamForm()
    form.org_unit.choices = choice_list([(None, _("Pilih unit pemilik"))] + _unit_choices(team.org_unit))
    if request.method == "GET":
        form.org_unit.data, form.leader_nip.data = team.org_unit_id, team.leader.nip
    if request.method == "POST" and form.validate():
        unit = db.session.get(OrgUnit, form.org_unit.data)
        leader = _resolve_leader(form) if _picks_leader() else team.leader
        moved = leader is not None and (leader.id, form.org_unit.data) != (team.leader_id, team.org_unit_id)
        if leader is not None and (not moved or _check_placement(form, leader, unit)):
            try:
                changes = services.update_team(team, name=form.name.data, description=form.description.data,
                                               leader=leader, org_unit=unit)
            except services.TeamError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                flash(_("Data tim sudah disimpan.") if changes else _("Tidak ada perubahan."),
                      "success" if changes else "info")
                return redirect(url_for("teams.show_team", team_id=team.id))
    return render_template("plans/team/form.html", form=form, team=team, picks_leader=_picks_leader())


def _set_active(team_id, active):
    team = _load_team(team_id)
    ensure(team.can_manage(current_user))
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("teams.show_team", team_id=team.id))
    try:
        services.set_team_active(team, active)
    except services.TeamError as exc:
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("Tim sudah diaktifkan kembali.") if active else _("Tim sudah dinonaktifkan."), "success")
    return redirect(url_for("teams.show_team", team_id=team.id))


@bp.post("/<int:team_id>/nonaktifkan")
@allow(AUTHENTICATED)
def deactivate_team(team_id):
    return _set_active(team_id, False)


@bp.post("/<int:team_id>/aktifkan")
@allow(AUTHENTICATED)
def activate_team(team_id):
    return _set_active(team_id, True)


# ---------------------------------------------------------------- the team page
def _members(team):
    return db.session.scalars(
        db.select(TeamMember).join(Employee, TeamMember.employee_id == Employee.id)
        .where(TeamMember.team_id == team.id)
        .options(joinedload(TeamMember.employee).joinedload(Employee.position),
                 joinedload(TeamMember.employee).joinedload(Employee.org_unit))
        .order_by(Employee.name, Employee.id)).all()


def _members_context(team, member_form=None, candidates=(), added=None):
    return dict(team=team, members=_members(team), can_manage=team.can_manage(current_user),
                member_form=member_form or MemberForm(formdata=None), candidates=candidates, added=added,
                number=rules.format_number)


def _render_team(member_form=None, candidates=(), team=None, added=None):
    context = _members_context(team, member_form, candidates, added)
    if htmx:
        return render_template("plans/team/_members.html", **context)
    return render_template("plans/team/show.html", progress=services.team_progress(team), **context)


@bp.get("/<int:team_id>")
@allow(AUTHENTICATED)
def show_team(team_id):
    team = _load_team(team_id)
    ensure(team.can_view(current_user))
    return render_template("plans/team/show.html", progress=services.team_progress(team), **_members_context(team))


@bp.post("/<int:team_id>/anggota")
@allow(AUTHENTICATED)
def add_member(team_id):
    team = _load_team(team_id)
    ensure(team.can_manage(current_user))
    form = MemberForm()
    candidates = []
    if form.validate():
        chosen = coerce_int(form.employee_id.data)
        employee = db.session.get(Employee, chosen) if chosen else None
        if chosen and employee is None:
            form.query.errors = [*form.query.errors, _("Pegawai yang dipilih tidak ditemukan.")]
        elif employee is None:
            found = services.find_employees(form.query.data)
            if not found:
                form.query.errors = [*form.query.errors, _("Tidak ada pegawai aktif dengan NIP atau nama itu.")]
            elif len(found) == 1:
                employee = found[0]
            else:
                candidates = found
        if employee is not None:
            try:
                services.add_member(team, employee, form.role.data)
            except services.TeamError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                if htmx:
                    return _render_team(team=team, added=employee)
                flash(_("%(name)s sudah ditambahkan ke tim.", name=employee.display_name), "success")
                return redirect(url_for("teams.show_team", team_id=team.id))
    return _render_team(form, candidates, team=team)


@bp.post("/<int:team_id>/anggota/<int:employee_id>/hapus")
@allow(AUTHENTICATED)
def remove_member(team_id, employee_id):
    team = _load_team(team_id)
    employee = db.get_or_404(Employee, employee_id)
    if employee.id != team.leader_id:  # the leader gets an explanation; anyone else is not found here
        db.first_or_404(db.select(TeamMember).where(TeamMember.team_id == team.id,
                                                    TeamMember.employee_id == employee.id))
    ensure(team.can_manage(current_user))
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("teams.show_team", team_id=team.id))
    try:
        services.remove_member(team, employee)
    except services.TeamError as exc:
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s sudah dikeluarkan dari tim.", name=employee.display_name), "success")
    return redirect(url_for("teams.show_team", team_id=team.id))


# ---------------------------------------------------------------- goals
def _save_goal(team, goal, form):
    values = dict(text=form.text.data, indicator=form.indicator.data, target_value=form.target_value.data,
                  target_unit=form.target_unit.data)
    try:
        if goal is None:
            services.add_goal(team, **values)
        else:
            services.update_goal(goal, **values)
    except services.TeamError as exc:
        attach_error(form, exc)
        return False
    return True


@bp.route("/<int:team_id>/sasaran/baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_goal(team_id):
    team = _load_team(team_id)
    ensure(team.can_manage(current_user))
    form = GoalForm()
    if request.method == "POST" and form.validate() and _save_goal(team, None, form):
        db.session.commit()
        flash(_("Sasaran tim sudah ditambahkan."), "success")
        return redirect(url_for("teams.show_team", team_id=team.id))
    return render_template("plans/team/goal_form.html", form=form, team=team, goal=None)


@bp.route("/<int:team_id>/sasaran/<int:goal_id>/ubah", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_goal(team_id, goal_id):
    team = _load_team(team_id)
    goal = _load_goal(team, goal_id)
    ensure(team.can_manage(current_user))
    form = GoalForm(formdata=None, obj=goal) if request.method == "GET" else GoalForm()
    if request.method == "POST" and form.validate() and _save_goal(team, goal, form):
        db.session.commit()
        flash(_("Sasaran tim sudah disimpan."), "success")
        return redirect(url_for("teams.show_team", team_id=team.id))
    return render_template("plans/team/goal_form.html", form=form, team=team, goal=goal,
                           linked=services.linked_result_count(goal))


@bp.post("/<int:team_id>/sasaran/<int:goal_id>/hapus")
@allow(AUTHENTICATED)
def delete_goal(team_id, goal_id):
    team = _load_team(team_id)
    goal = _load_goal(team, goal_id)
    ensure(team.can_manage(current_user))
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("teams.show_team", team_id=team.id))
    try:
        services.delete_goal(goal)
    except services.TeamError as exc:
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("Sasaran tim sudah dihapus."), "success")
    return redirect(url_for("teams.show_team", team_id=team.id))
