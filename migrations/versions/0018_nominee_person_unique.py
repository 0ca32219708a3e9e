"""One live nomination per person of the register, per award and plan.

The register (0014_people) links every nomination to its nominee's record, and two namesakes an
officer confirmed distinct are two records: the trust index on (plan, award, unit, name key) would
refuse the second. It becomes:

- `uq_nominations_live_person`: (plan, award, person) over live nominations;
- `uq_nominations_live_unlinked`: (plan, award, unit, name key) over live nominations linked to no
  record (rows written behind the application);
- `people.auto_key` with `uq_people_auto_key`: the record made on the fly for a typed nominee is
  unique per (unit, kind, name key, birth date, CCCD), so parallel creates of one new nominee make
  one record, hence one nomination, and every other one a conflict.

Revision ID: 0018_nominee_person_unique
Revises: 0016_workbench
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_nominee_person_unique"
down_revision = "0016_workbench"
branch_labels = None
depends_on = None

LIVE = sa.text("state NOT IN ('rejected', 'withdrawn', 'expired')")
LIVE_UNLINKED = sa.text("state NOT IN ('rejected', 'withdrawn', 'expired') AND person_id IS NULL")


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN and plain CREATE/DROP INDEX: no batch rebuild of either table.
    op.add_column("people", sa.Column("auto_key", sa.String(length=64), nullable=True))
    op.create_index("uq_people_auto_key", "people", ["auto_key"], unique=True)
    op.drop_index("uq_nominations_live_nominee", table_name="nominations")
    op.create_index("uq_nominations_live_person", "nominations", ["plan_id", "award_code", "person_id"],
                    unique=True, sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index("uq_nominations_live_unlinked", "nominations",
                    ["plan_id", "award_code", "unit_id", "nominee_key"], unique=True,
                    sqlite_where=LIVE_UNLINKED, postgresql_where=LIVE_UNLINKED)


def downgrade() -> None:
    op.drop_index("uq_nominations_live_unlinked", table_name="nominations")
    op.drop_index("uq_nominations_live_person", table_name="nominations")
    op.create_index("uq_nominations_live_nominee", "nominations",
                    ["plan_id", "award_code", "unit_id", "nominee_key"], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.drop_index("uq_people_auto_key", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("auto_key")
