"""The register of persons and collectives (hồ sơ thành tích): people, their history records,
discipline and yearly ratings; nominations point at their nominee's record.

Revision ID: 0014_people
Revises: 0012_trust
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_people"
down_revision = "0012_trust"
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
    _link_existing_nominees()


def _link_existing_nominees() -> None:
    """Every nominee named so far becomes a record: one per unit, kind and name key (what the
    one-award-per-plan rule already treated as one nominee), linked from its nominations."""
    from workflow.text import search_key  # the one normalisation of names

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, unit_id, nominee_kind, nominee_name, nominee_key, nominee_title, created_at "
        "FROM nominations ORDER BY id")).all()
    people: dict[tuple, int] = {}
    links: list[dict] = []
    for nid, unit_id, kind, name, key, title, created in rows:
        ident = (unit_id, kind, key)
        if ident not in people:
            skey = search_key(name)
            people[ident] = conn.execute(sa.text(
                "INSERT INTO people (kind, name, name_key, search_key, given_key, org_id, position, created_at) "
                "VALUES (:kind, :name, :key, :skey, :given, :org, :position, :created) RETURNING id"),
                {"kind": kind, "name": name, "key": key, "skey": skey, "given": skey.rsplit(" ", 1)[-1][:100],
                 "org": unit_id, "position": title, "created": created}).scalar_one()
        links.append({"p": people[ident], "n": nid})
    if links:
        conn.execute(sa.text("UPDATE nominations SET person_id = :p WHERE id = :n"), links)


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_index("ix_nominations_person")
        batch.drop_constraint("fk_nominations_person_id", type_="foreignkey")
        batch.drop_column("person_id")
    op.drop_table("person_ratings")
    op.drop_table("person_discipline")
    op.drop_table("person_records")
    op.drop_table("people")
