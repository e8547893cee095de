"""initial schema

Revision ID: b38ba79f177c
Revises: 
Create Date: 2026-11-22 21:53:48.974751

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b38ba79f177c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('org_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('instansi', 'setda', 'setwan', 'inspektorat', 'dinas', 'badan', 'kecamatan', 'bagian', 'bidang', 'subbagian', 'upt', 'kelurahan', 'lainnya', name='unitkind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=255), server_default='', nullable=False),
    sa.Column('depth', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_org_unit_not_own_parent')).ddl_if(dialect=("sqlite", "postgresql")),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_org_unit_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
    sa.UniqueConstraint('parent_id', 'name', name='uq_org_unit_parent_name')
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_unit_path'), ['path'], unique=False)

    op.create_table('position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('jpt_utama', 'jpt_madya', 'jpt_pratama', 'administrator', 'pengawas', 'pelaksana', 'fungsional_keahlian', 'fungsional_keterampilan', name='positionkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('grade', sa.Enum('ahli_pertama', 'ahli_muda', 'ahli_madya', 'ahli_utama', 'pemula', 'terampil', 'mahir', 'penyelia', name='positiongrade', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('is_head', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(kind = 'fungsional_keahlian' AND grade IN ('ahli_pertama', 'ahli_muda', 'ahli_madya', 'ahli_utama')) OR (kind = 'fungsional_keterampilan' AND grade IN ('pemula', 'terampil', 'mahir', 'penyelia')) OR (kind NOT IN ('fungsional_keahlian', 'fungsional_keterampilan') AND grade IS NULL)", name=op.f('ck_position_grade_matches_kind')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_position_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position')),
    sa.UniqueConstraint('org_unit_id', 'name', name='uq_position_unit_name')
    )
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_org_unit_id'), ['org_unit_id'], unique=False)

    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('kind', sa.Enum('pns', 'pppk', name='employeekind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('gelar_depan', sa.String(length=60), server_default='', nullable=False),
    sa.Column('gelar_belakang', sa.String(length=100), server_default='', nullable=False),
    sa.Column('gender', sa.Enum('L', 'P', name='gender', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('tmt_date', sa.Date(), nullable=True),
    sa.Column('civil_status', sa.Enum('cpns', 'pns', name='civilstatus', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('golongan', sa.String(length=8), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("golongan IS NULL OR golongan IN ('I/a', 'I/b', 'I/c', 'I/d', 'II/a', 'II/b', 'II/c', 'II/d', 'III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b', 'IV/c', 'IV/d', 'IV/e', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII')", name=op.f('ck_employee_golongan_known')),
    sa.CheckConstraint("kind = 'pns' OR civil_status IS NULL", name=op.f('ck_employee_civil_status_pns_only')),
    sa.CheckConstraint('supervisor_id IS NULL OR supervisor_id <> id', name=op.f('ck_employee_not_own_supervisor')).ddl_if(dialect=("sqlite", "postgresql")),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_employee_org_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_employee_position_id_position')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['employee.id'], name=op.f('fk_employee_supervisor_id_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('nip', name=op.f('uq_employee_nip'))
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_golongan'), ['golongan'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('employee_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.Enum('awal', 'mutasi', 'ganti_atasan', 'impor', name='assignmentreason', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_dt', sa.DateTime(), nullable=False),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_employee_assignment_dates_ordered')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_employee_assignment_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_employee_assignment_org_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_employee_assignment_position_id_position')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['employee.id'], name=op.f('fk_employee_assignment_supervisor_id_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_assignment'))
    )
    with op.batch_alter_table('employee_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_employee_assignment_open', ['employee_id', 'end_date'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('last_login_dt', sa.DateTime(), nullable=True),
    sa.Column('session_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('username IS NOT NULL OR employee_id IS NOT NULL', name=op.f('ck_user_account_has_identity')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_user_account_employee_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('employee_id', name=op.f('uq_user_account_employee_id')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('from_state', sa.String(length=64), nullable=True),
    sa.Column('to_state', sa.String(length=64), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.Column('summary', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_dt'), ['created_dt'], unique=False)
        batch_op.create_index('ix_audit_entry_object', ['object_type', 'object_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('parent_unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('previewed', 'committed', 'discarded', 'failed', name='importstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('count_new', sa.Integer(), server_default='0', nullable=False),
    sa.Column('count_changed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('count_unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('count_rejected', sa.Integer(), server_default='0', nullable=False),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('committed_dt', sa.DateTime(), nullable=True),
    sa.Column('created_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_import_batch_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['parent_unit_id'], ['org_unit.id'], name=op.f('fk_import_batch_parent_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('user_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('pegawai', 'admin_opd', 'bkpsdm', 'pimpinan', 'superadmin', name='role', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(role = 'admin_opd' AND org_unit_id IS NOT NULL) OR (role <> 'admin_opd' AND org_unit_id IS NULL)", name=op.f('ck_user_role_scope_matches_role')),
    sa.CheckConstraint("role <> 'pegawai'", name=op.f('ck_user_role_pegawai_is_implicit')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_user_role_org_unit_id_org_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_role')),
    sa.UniqueConstraint('user_id', 'role', 'org_unit_id', name='uq_user_role_scope')
    )
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_user_id'), ['user_id'], unique=False)



def downgrade():
    # Dropping a table drops its indexes too (MariaDB refuses to drop an index a foreign key needs).
    op.drop_table('user_role')
    op.drop_table('import_batch')
    op.drop_table('audit_entry')
    op.drop_table('user_account')
    op.drop_table('employee_assignment')
    op.drop_table('employee')
    op.drop_table('position')
    op.drop_table('org_unit')
