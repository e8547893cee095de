"""flask users …: create-admin, reset-password and grant."""
import pytest

from portal.auth import services
from portal.auth.models import Role
from tests.factories import PASSWORD


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kw: runner.invoke(args=["users", *args], **kw)


def test_create_admin_with_password(cli):
    result = cli("create-admin", "Operator", "--name", "Operator Sistem", "--password", "Kuat#Sekali-2026")
    assert result.exit_code == 0, result.output
    assert "operator" in result.output
    user = services.authenticate("operator", "Kuat#Sekali-2026")
    assert user.full_name == "Operator Sistem" and user.role_set() == {Role.SUPERADMIN.value}
    assert not user.must_change_password


def test_create_admin_prompts_for_the_password(cli):
    result = cli("create-admin", "operator", "--name", "Operator", input="Kuat#Sekali-2026\nKuat#Sekali-2026\n")
    assert result.exit_code == 0, result.output
    assert services.authenticate("operator", "Kuat#Sekali-2026") is not None


@pytest.mark.parametrize("username, password, message", [
    ("operator", "pendek", "paling sedikit"),
    ("operator", "hurufkecilsaja", "campuran"),
    ("12345", "Kuat#Sekali-2026", "harus memuat huruf"),
    ("superadmin", "Kuat#Sekali-2026", "sudah dipakai"),
])
def test_create_admin_refusals(cli, world, username, password, message):
    result = cli("create-admin", username, "--name", "X", "--password", password)
    assert result.exit_code == 1 and message in result.output


def test_reset_password_issues_a_working_one_time_password(cli, world):
    nip = world.staff_a1.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    result = cli("reset-password", grouped)
    assert result.exit_code == 0, result.output
    otp = result.output.split(": ", 1)[1].split()[0]
    user = services.authenticate(nip, otp)
    assert user is not None and user.must_change_password
    assert services.authenticate(nip, PASSWORD) is None


def test_reset_password_by_username(cli, world):
    result = cli("reset-password", "superadmin")
    assert result.exit_code == 0
    assert world.users["superadmin"].must_change_password


def test_reset_password_creates_the_account_of_an_asn_without_one(cli, world):
    assert world.head_a.user is None
    result = cli("reset-password", world.head_a.nip)
    assert result.exit_code == 0, result.output
    otp = result.output.split(": ", 1)[1].split()[0]
    assert services.authenticate(world.head_a.nip, otp).employee_id == world.head_a.id


def test_reset_password_unknown_login(cli, world):
    result = cli("reset-password", "tidakada")
    assert result.exit_code == 1 and "Tidak ada akun" in result.output


def test_grant_roles(cli, world):
    nip = world.staff_a1.nip
    result = cli("grant", nip, "bkpsdm")
    assert result.exit_code == 0, result.output
    result = cli("grant", nip, "admin_opd", "--unit", str(world.dinas_b.id))
    assert result.exit_code == 0, result.output
    assert "Dinas Beta" in result.output
    user = services.find_user_for_login(nip)
    assert user.has_role(Role.BKPSDM) and [u.id for u in user.admin_units] == [world.dinas_b.id]


@pytest.mark.parametrize("args, message", [
    (["admin_opd"], "harus dibatasi"),
    (["bkpsdm", "--unit", "1"], "hanya berlaku"),
    (["admin_opd", "--unit", "999999"], "tidak ditemukan"),
])
def test_grant_refusals(cli, world, args, message):
    result = cli("grant", world.staff_b.nip, *args)
    assert result.exit_code == 1 and message in result.output
    assert services.find_user_for_login(world.staff_b.nip) is None or not services.find_user_for_login(
        world.staff_b.nip).roles


def test_grant_twice_is_refused(cli, world):
    assert cli("grant", "superadmin", "bkpsdm").exit_code == 0
    result = cli("grant", "superadmin", "bkpsdm")
    assert result.exit_code == 1 and "sudah memiliki" in result.output


def test_grant_rejects_unknown_role(cli, world):
    assert cli("grant", "superadmin", "pegawai").exit_code == 2
