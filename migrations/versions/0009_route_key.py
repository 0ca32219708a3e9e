"""Nominations keep the compiled route key (`<award>@<version>/<levels>#<hash>`), longer than 30.

Revision ID: 0009_route_key
Revises: 0008_catalogue
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_route_key"
down_revision = "0008_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.alter_column("route", existing_type=sa.String(30), type_=sa.String(120), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.alter_column("route", existing_type=sa.String(120), type_=sa.String(30), existing_nullable=False)
