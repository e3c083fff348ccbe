"""`make run` loads the demo register through membersync, again and again without changes."""

from sqlalchemy import select

from membersync.models import Member, Position


def test_innsiden_demo_loads_the_register_with_its_leaders_and_is_idempotent(app, db, tmp_path):
    runner = app.test_cli_runner()
    arguments = ["demo", "--members", "120", "--directory", str(tmp_path / "register")]
    with app.app_context():  # as the `innsiden` command runs it
        first = runner.invoke(args=arguments)
    assert first.exit_code == 0, first.output
    assert "120 nye" in first.output

    db.commit()
    kari = db.scalars(select(Member).where(Member.email == "kari.nordmann@example.no")).one()
    ola = db.scalars(select(Member).where(Member.email == "ola.nordmann@example.no")).one()
    assert ("lokallagsleder", kari.lokallag_id) in {(p.role, p.unit_id) for p in kari.positions}
    assert kari.lokallag.name == "Bergen lokallag"
    assert "sentraladmin" in {p.role for p in ola.positions}
    leaders = db.scalars(select(Position).where(Position.role == "lokallagsleder")).all()
    assert len(leaders) == 3  # one per lokallag

    with app.app_context():
        second = runner.invoke(args=arguments)
    assert second.exit_code == 0, second.output
    assert "ingen endringer" in second.output
