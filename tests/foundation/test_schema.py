"""The migrations are the schema: upgrading an empty database gives exactly the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from innsiden.schema import metadata


def test_migrated_database_matches_the_models(app):
    engine = app.extensions["innsiden.engine"]
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_every_foreign_key_is_indexed(app):
    # FlaskBB's missing foreign-key indexes cost it most of its page speed.
    inspector = inspect(app.extensions["innsiden.engine"])
    unindexed = []
    for table in inspector.get_table_names():
        indexed = {tuple(i["column_names"][:1]) for i in inspector.get_indexes(table)}
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        indexed.add(tuple(pk[:1]))
        for unique in inspector.get_unique_constraints(table):
            indexed.add(tuple(unique["column_names"][:1]))
        for fk in inspector.get_foreign_keys(table):
            if tuple(fk["constrained_columns"][:1]) not in indexed:
                unindexed.append(f"{table}.{fk['constrained_columns']}")
    assert unindexed == []
