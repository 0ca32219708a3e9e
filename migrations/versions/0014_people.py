"""The register of persons and collectives (hồ sơ thành tích): people, their history records,
discipline and yearly ratings; nominations point at their nominee's record.

Revision ID: 0014_people
Revises: 0009_route_key
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_people"
down_revision = "0009_route_key"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("search_key", sa.String(300), nullable=False),
        sa.Column("given_key", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(10), nullable=True),
        sa.Column("id_number", sa.String(12), nullable=True, unique=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("org_units.id"), nullable=False),
        sa.Column("position", sa.String(200), nullable=True),
        sa.Column("collective_kind", sa.String(100), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_people_search", "people", ["search_key", "id"])
    op.create_index("ix_people_given", "people", ["given_key", "search_key", "id"])
    op.create_index("ix_people_org_search", "people", ["org_id", "search_key"])
    op.create_index("ix_people_org_given", "people", ["org_id", "given_key"])
    op.create_index("ix_people_key_birth", "people", ["name_key", "birth_date"])
    op.create_table(
        "person_records",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("person_id", BIG_ID, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("award_code", sa.String(60), nullable=True),
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("decision_number", sa.String(100), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("used_for", sa.String(60), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("person_id", "kind", "award_code", "year", "decision_number",
                            name="uq_person_records_entry"),
    )
    op.create_index("ix_person_records_person_id", "person_records", ["person_id"])
    op.create_table(
        "person_discipline",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("person_id", BIG_ID, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_person_discipline_person_id", "person_discipline", ["person_id"])
    op.create_table(
        "person_ratings",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("person_id", BIG_ID, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(20), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("person_id", "year", name="uq_person_ratings_year"),
    )
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("person_id", BIG_ID, nullable=True))
        batch.create_foreign_key("fk_nominations_person_id", "people", ["person_id"], ["id"])
        batch.create_index("ix_nominations_person", ["person_id", "plan_id"])


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_index("ix_nominations_person")
        batch.drop_constraint("fk_nominations_person_id", type_="foreignkey")
        batch.drop_column("person_id")
    op.drop_table("person_ratings")
    op.drop_table("person_discipline")
    op.drop_table("person_records")
    op.drop_table("people")
