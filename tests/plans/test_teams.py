"""Tim kerja: services (rules, audit, notifications, progress) and views (permissions, htmx)."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from portal.people.models import PositionKind
from portal.plans import team_services as services
from portal.plans.models import (
    Aggregation,
    Aspect,
    Direction,
    Indicator,
    Measure,
    PeriodStatus,
    PlanStatus,
    Realisation,
    RealisationStatus,
    Team,
    TeamGoal,
    TeamMember,
)
from tests.conftest import count_statements
from tests.plans.sample import make_period, make_plan

YEAR = date.today().year


@pytest.fixture
def period(world):
    return make_period(YEAR)


@pytest.fixture
def team(world, period):
    """A team of Dinas Alpha led by chief_a1, with staff_a1 as member and one goal (40 dataset)."""
    team = services.create_team(period, name="Tim Satu Data", description="Data terpadu",
                                leader=world.chief_a1, org_unit=world.dinas_a)
    services.add_member(team, world.staff_a1, "Analis")
    services.add_goal(team, text="Satu data daerah", indicator="Dataset terbit", target_value=Decimal(40),
                      target_unit="dataset")
    return team


def _audits(action, obj):
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.object_type == type(obj).__name__,
        AuditEntry.object_id == obj.id)).all()


def _contribute(employee, period, goal, values, *, unit="dataset", status=PlanStatus.APPROVED):
    """An approved plan of ``employee`` whose RHK intervenes ``goal``, with monthly realisasi
    ``values``: [(month, value, RealisationStatus)]."""
    plan = make_plan(employee, period, status, results=[
        (f"RHK {employee.name}", [(Aspect.QUALITY, "Mutu", "Sesuai standar"), (Aspect.QUANTITY, "Jumlah", 20)])])
    result = plan.results[0]
    result.team_goal_id = goal.id
    quantity = next(i for i in result.indicators if i.aspect is Aspect.QUANTITY)
    quantity.target_unit = unit
    for month, value, state in values:
        subperiod = next(sp for sp in period.subperiods if sp.number == month)
        db.session.add(Realisation(indicator=quantity, subperiod=subperiod, plan=plan, value=Decimal(value),
                                   status=state))
    db.session.flush()
    return plan


# ---------------------------------------------------------------- services
def test_create_team_is_audited_and_names_are_unique_per_year(world, period, team):
    assert team.is_active and team.leader_id == world.chief_a1.id
    assert len(_audits("create", team)) == 1
    with pytest.raises(services.TeamError, match="Sudah ada tim") as exc:
        services.create_team(period, name="  tim   satu DATA ", description="", leader=world.head_a,
                             org_unit=world.dinas_a)
    assert exc.value.field == "name"
    other_year = make_period(YEAR + 1, status=PeriodStatus.DRAFT)
    assert services.create_team(other_year, name="Tim Satu Data", description="", leader=world.head_a,
                                org_unit=world.dinas_a).id


def test_closed_period_refuses_new_teams(world):
    closed = make_period(YEAR - 1, status=PeriodStatus.CLOSED)
    with pytest.raises(services.TeamError, match="ditutup"):
        services.create_team(closed, name="Tim Lama", description="", leader=world.head_a, org_unit=world.dinas_a)


def test_add_member_notifies_and_refuses_duplicates(world, team):
    member = next(m for m in team.members if m.employee_id == world.staff_a1.id)
    assert member.role == "Analis"
    assert _audits("add_member", team)
    notes = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == world.users["pegawai"].id, Notification.kind == "teams.member_added")).all()
    assert len(notes) == 1 and "Tim Satu Data" in notes[0].title and notes[0].url == f"/tim/{team.id}"
    with pytest.raises(services.TeamError, match="sudah menjadi anggota"):
        services.add_member(team, world.staff_a1)
    with pytest.raises(services.TeamError, match="ketua"):
        services.add_member(team, world.chief_a1)
    # members may come from any unit
    services.add_member(team, world.staff_b)
    assert {m.employee_id for m in team.members} == {world.staff_a1.id, world.staff_b.id}


def test_remove_member_is_audited(world, team):
    services.remove_member(team, world.staff_a1)
    assert not team.members and _audits("remove_member", team)
    with pytest.raises(services.TeamError, match="bukan anggota"):
        services.remove_member(team, world.staff_a1)


@pytest.mark.parametrize("value", [Decimal(0), Decimal(-5), Decimal("0.001"), Decimal("1e15")])
def test_goal_target_must_be_positive_and_fit(team, value):
    with pytest.raises(services.TeamError) as exc:
        services.add_goal(team, text="Sasaran", indicator="Indikator", target_value=value, target_unit="dokumen")
    assert exc.value.field == "target_value"


def test_goal_needs_a_unit_with_a_number_and_may_be_descriptive(team):
    with pytest.raises(services.TeamError) as exc:
        services.add_goal(team, text="Sasaran", indicator="Indikator", target_value=Decimal(3), target_unit="")
    assert exc.value.field == "target_unit"
    goal = services.add_goal(team, text="Budaya berbagi data", indicator="Forum rutin", target_value=None,
                             target_unit="")
    assert goal.position == 1 and goal.target_unit is None and _audits("create", goal)


def test_goal_with_linked_rhk_is_not_deleted(world, period, team):
    goal = team.goals[0]
    _contribute(world.staff_a1, period, goal, [])
    with pytest.raises(services.TeamError, match="diintervensi"):
        services.delete_goal(goal)
    spare = services.add_goal(team, text="Cadangan", indicator="x", target_value=Decimal(1), target_unit="x")
    services.delete_goal(spare)
    assert db.session.scalar(sa.select(TeamGoal.id).where(TeamGoal.id == spare.id)) is None
    assert _audits("delete", spare)


def test_inactive_team_is_read_only(world, team):
    services.set_team_active(team, False)
    assert _audits("update", team)[-1].to_state == "inactive"
    with pytest.raises(services.TeamError, match="nonaktif"):
        services.add_member(team, world.staff_b)
    with pytest.raises(services.TeamError):
        services.set_team_active(team, False)
    services.set_team_active(team, True)
    assert team.is_active


def test_progress_counts_submitted_and_verified_realisasi(world, period, team, factory):
    goal = team.goals[0]
    _contribute(world.staff_a1, period, goal, [
        (1, 3, RealisationStatus.VERIFIED), (2, 4, RealisationStatus.SUBMITTED),
        (3, 9, RealisationStatus.DRAFT), (4, 7, RealisationStatus.RETURNED)])
    other = factory.employee(unit=world.dinas_b, name="Anggota Beta")
    services.add_member(team, other)
    _contribute(other, period, goal, [(1, 5, RealisationStatus.VERIFIED)])
    # a member counting pages instead of datasets is listed but not added up
    third = factory.employee(unit=world.dinas_b, name="Anggota Gamma")
    _contribute(third, period, goal, [(1, 100, RealisationStatus.VERIFIED)], unit="halaman")
    # a plan still being written does not count
    fourth = factory.employee(unit=world.dinas_b, name="Anggota Delta")
    _contribute(fourth, period, goal, [(1, 50, RealisationStatus.VERIFIED)], status=PlanStatus.DRAFT)
    [progress] = services.team_progress(team)
    assert progress.total == Decimal(12) and progress.verified == Decimal(8)
    assert progress.percent == Decimal("30.00") and progress.percent_verified == Decimal("20.00")
    by_name = {c.employee.name: c for c in progress.contributions}
    assert set(by_name) == {"Staf Alpha", "Anggota Beta", "Anggota Gamma"}
    assert by_name["Staf Alpha"].indicator.aspect is Aspect.QUANTITY  # Kuantitas preferred
    assert (by_name["Staf Alpha"].total, by_name["Staf Alpha"].verified) == (Decimal(7), Decimal(3))
    assert not by_name["Anggota Gamma"].comparable and by_name["Anggota Gamma"].total == Decimal(100)


def test_progress_follows_the_iki_aggregation(world, period, team):
    plan = _contribute(world.staff_a1, period, team.goals[0], [
        (1, 10, RealisationStatus.VERIFIED), (2, 14, RealisationStatus.VERIFIED)])
    quantity = next(i for i in plan.results[0].indicators if i.aspect is Aspect.QUANTITY)
    quantity.aggregation = Aggregation.LATEST
    db.session.flush()
    assert services.team_progress(team)[0].total == Decimal(14)


def test_progress_runs_in_fixed_queries(world, period, team, factory):
    def grow(n):
        for _i in range(n):
            member = factory.employee(unit=world.dinas_b, name=f"Anggota {len(team.members)}")
            services.add_member(team, member)
            plan = _contribute(member, period, team.goals[0], [(1, 2, RealisationStatus.VERIFIED),
                                                                (2, 1, RealisationStatus.SUBMITTED)])
            extra = Indicator(result=plan.results[0], aspect=Aspect.TIME, text="Tepat waktu",
                              measure=Measure.NUMERIC, target_value=Decimal(12), target_unit="bulan",
                              direction=Direction.HIGHER, aggregation=Aggregation.SUM)
            db.session.add(extra)
        db.session.flush()
        db.session.expire_all()
        assert team.period_id  # reload the team itself outside the count

    grow(2)
    with count_statements() as few:
        small = services.team_progress(team)
    grow(8)
    with count_statements() as many:
        large = services.team_progress(team)
    assert len(small[0].contributions) == 2 and len(large[0].contributions) == 10
    assert large[0].total == Decimal(30)
    assert len(few) == len(many) <= 4


# ---------------------------------------------------------------- views
def test_team_page_shows_members_goals_and_progress(world, period, team, login_as):
    plan = _contribute(world.staff_a1, period, team.goals[0], [(1, 10, RealisationStatus.VERIFIED)])
    page = login_as("pimpinan").get(f"/tim/{team.id}").get_data(as_text=True)
    assert "Tim Satu Data" in page and "Staf Alpha" in page and "Analis dan" not in page
    assert world.staff_a1.position.name in page and world.bidang_a1.name in page
    assert '<progress class="progress-native" max="100" value="25.00"' in page
    assert f'href="/skp/{plan.id}"' in page
    assert "Ubah tim" not in page  # pimpinan reads, does not manage


def test_only_managers_change_a_team(world, team, login_as, factory):
    for role in ("pegawai", "pimpinan"):
        client = login_as(role)
        assert client.get(f"/tim/{team.id}/ubah").status_code == 403, role
        assert client.post(f"/tim/{team.id}/anggota", data={"query": world.staff_b.nip}).status_code == 403, role
        assert client.post(f"/tim/{team.id}/nonaktifkan").status_code == 403, role
    outsider_admin = factory.user(factory.employee(unit=world.dinas_b), roles=["admin_opd"], scope=world.dinas_b)
    assert login_as(outsider_admin).get(f"/tim/{team.id}/ubah").status_code == 403
    for role in ("supervisor", "admin_opd", "bkpsdm", "superadmin"):  # leader, admin of the unit, BKPSDM
        assert login_as(role).get(f"/tim/{team.id}/ubah").status_code == 200, role


def test_leader_adds_member_by_nip_and_by_name(world, team, login_as, factory):
    client = login_as("supervisor")
    response = client.post(f"/tim/{team.id}/anggota", headers={"HX-Request": "true"},
                           data={"query": world.staff_b.nip_display, "role": "Pengelola arsip"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="members"' in body
    assert "Staf Beta sudah ditambahkan ke tim." in body
    twice = client.post(f"/tim/{team.id}/anggota", headers={"HX-Request": "true"}, data={"query": world.staff_b.nip})
    assert "sudah menjadi anggota tim ini" in twice.get_data(as_text=True)
    factory.employee(unit=world.dinas_b, name="Rina Wati")
    second = factory.employee(unit=world.dinas_b, name="Rina Sari")
    several = client.post(f"/tim/{team.id}/anggota", data={"query": "rina"}).get_data(as_text=True)
    assert "Beberapa pegawai cocok" in several and "Rina Wati" in several
    picked = client.post(f"/tim/{team.id}/anggota", data={"query": "rina", "employee_id": second.id})
    assert picked.status_code == 302
    none = client.post(f"/tim/{team.id}/anggota", data={"query": "tidak ada orang ini"})
    assert none.status_code == 200 and "Tidak ada pegawai aktif" in none.get_data(as_text=True)
    ids = set(db.session.scalars(sa.select(TeamMember.employee_id).where(TeamMember.team_id == team.id)))
    assert ids == {world.staff_a1.id, world.staff_b.id, second.id}


def test_remove_member_view(world, team, login_as):
    client = login_as("admin_opd")
    assert client.post(f"/tim/{team.id}/anggota/{world.staff_b.id}/hapus").status_code == 404  # not a member
    leader = client.post(f"/tim/{team.id}/anggota/{world.chief_a1.id}/hapus", follow_redirects=True)
    assert "ganti ketua melalui Ubah tim" in leader.get_data(as_text=True)
    response = client.post(f"/tim/{team.id}/anggota/{world.staff_a1.id}/hapus")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember)
                             .where(TeamMember.team_id == team.id)) == 0


def test_goal_forms_refuse_bad_targets(world, team, login_as):
    client = login_as("supervisor")
    for value, message in (("0", "lebih besar dari nol"), ("-3", "lebih besar dari nol"), ("abc", "Masukkan angka")):
        response = client.post(f"/tim/{team.id}/sasaran/baru", data={
            "text": "Sasaran baru", "indicator": "Jumlah", "target_value": value, "target_unit": "dokumen"})
        assert response.status_code == 200 and message in response.get_data(as_text=True), value
    ok = client.post(f"/tim/{team.id}/sasaran/baru", data={
        "text": "Sasaran baru", "indicator": "Jumlah", "target_value": "12,5", "target_unit": "dokumen"})
    assert ok.status_code == 302
    goal = db.session.scalar(sa.select(TeamGoal).where(TeamGoal.text == "Sasaran baru"))
    assert goal.target_value == Decimal("12.5")
    edit = client.post(f"/tim/{team.id}/sasaran/{goal.id}/ubah", data={
        "text": "Sasaran diubah", "indicator": "Jumlah", "target_value": "20", "target_unit": "dokumen"})
    assert edit.status_code == 302
    assert client.post(f"/tim/{team.id}/sasaran/{goal.id}/hapus").status_code == 302
    assert db.session.scalar(sa.select(TeamGoal.id).where(TeamGoal.id == goal.id)) is None


def test_goal_of_another_team_is_not_found(world, period, team, login_as):
    other = services.create_team(period, name="Tim Lain", description="", leader=world.chief_a1,
                                 org_unit=world.dinas_a)
    goal = team.goals[0]
    assert login_as("supervisor").get(f"/tim/{other.id}/sasaran/{goal.id}/ubah").status_code == 404


def test_who_may_create_a_team(world, period, login_as, factory):
    assert login_as("pegawai").get("/tim/baru").status_code == 403  # a pelaksana
    assert login_as("pimpinan").get("/tim/baru").status_code == 403
    leader = login_as("supervisor")  # an administrator: a structural official
    response = leader.post("/tim/baru", data={"name": "Tim Percepatan", "description": "", "period": period.id,
                                              "org_unit": world.bidang_a1.id})
    assert response.status_code == 302
    team = db.session.scalar(sa.select(Team).where(Team.name == "Tim Percepatan"))
    assert team.leader_id == world.chief_a1.id and team.org_unit_id == world.bidang_a1.id
    # ... but only in their own unit
    elsewhere = leader.post("/tim/baru", data={"name": "Tim Luar", "period": period.id, "org_unit": world.dinas_b.id})
    assert elsewhere.status_code == 200 and "di unit kerja Anda" in elsewhere.get_data(as_text=True)
    duplicate = leader.post("/tim/baru", data={"name": "tim percepatan", "period": period.id,
                                               "org_unit": world.bidang_a1.id})
    assert "Sudah ada tim bernama" in duplicate.get_data(as_text=True)
    admin = login_as("admin_opd")
    made = admin.post("/tim/baru", data={"name": "Tim Admin", "period": period.id, "org_unit": world.dinas_a.id,
                                         "leader_nip": world.staff_a1.nip})
    assert made.status_code == 302
    assert db.session.scalar(sa.select(Team.leader_id).where(Team.name == "Tim Admin")) == world.staff_a1.id
    outside = admin.post("/tim/baru", data={"name": "Tim Beta", "period": period.id, "org_unit": world.dinas_b.id,
                                            "leader_nip": world.staff_b.nip})
    assert outside.status_code == 200
    assert db.session.scalar(sa.select(Team.id).where(Team.name == "Tim Beta")) is None
    unknown = admin.post("/tim/baru", data={"name": "Tim X", "period": period.id, "org_unit": world.dinas_a.id,
                                            "leader_nip": "199001012015011999"})
    assert "Tidak ada pegawai dengan NIP" in unknown.get_data(as_text=True)


def test_structural_check_uses_position_kind(world):
    assert services.is_structural(world.chief_a1) and world.chief_a1.position.kind is PositionKind.ADMINISTRATOR
    assert not services.is_structural(world.staff_a1)


def test_list_shows_own_teams_and_scope(world, period, team, login_as, factory):
    beta = services.create_team(period, name="Tim Beta", description="", leader=world.staff_b,
                                org_unit=world.dinas_b)
    member_page = login_as("pegawai").get("/tim/").get_data(as_text=True)
    assert "Tim Satu Data" in member_page and "Anda anggota" in member_page and "Tim Beta" not in member_page
    admin_page = login_as("admin_opd").get("/tim/").get_data(as_text=True)
    assert "Tim Satu Data" in admin_page and "Tim Beta" not in admin_page
    everything = login_as("pimpinan").get("/tim/").get_data(as_text=True)
    assert "Tim Satu Data" in everything and beta.name in everything
    found = login_as("bkpsdm").get("/tim/?q=beta", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Tim Beta" in found and "Tim Satu Data" not in found and "<html" not in found
    assert login_as("bkpsdm").get("/tim/?tahun=abc&page=999999").status_code == 200


def test_edit_and_deactivate_team(world, team, login_as):
    client = login_as("supervisor")
    response = client.post(f"/tim/{team.id}/ubah", data={"name": "Tim Satu Data Daerah", "description": "Baru",
                                                         "org_unit": world.dinas_a.id})
    assert response.status_code == 302
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert team.name == "Tim Satu Data Daerah" and team.leader_id == world.chief_a1.id
    assert client.post(f"/tim/{team.id}/nonaktifkan").status_code == 302
    db.session.expire_all()
    assert not db.session.get(Team, team.id).is_active
    page = client.get(f"/tim/{team.id}").get_data(as_text=True)
    assert "Aktifkan kembali" in page and "Tambah anggota" not in page


def test_goal_choices_for_members_and_leader_only(world, period, team):
    goal = team.goals[0]
    assert services.goal_choices(world.staff_a1, period) == [goal]
    assert services.goal_choices(world.chief_a1, period) == [goal]
    assert services.goal_choices(world.staff_b, period) == []
    services.set_team_active(team, False)
    assert services.goal_choices(world.staff_a1, period) == []


@pytest.mark.parametrize("url", ["/tim/", "/tim/{id}"])
def test_pages_run_in_fixed_queries(world, period, team, login_as, factory, url):
    client = login_as("bkpsdm")
    url = url.format(id=team.id)

    def grow(n):
        for _i in range(n):
            member = factory.employee(unit=world.dinas_b, name=f"Anggota {len(team.members)}")
            services.add_member(team, member)
            _contribute(member, period, team.goals[0], [(1, 2, RealisationStatus.VERIFIED)])
            services.create_team(period, name=f"Tim {member.id}", description="", leader=member,
                                 org_unit=world.dinas_b)

    grow(1)
    client.get(url)
    with count_statements() as few:
        assert client.get(url).status_code == 200
    grow(6)
    with count_statements() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Anggota ") >= 7
    assert len(many) == len(few), (len(few), len(many))
