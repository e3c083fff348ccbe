"""membersync: mirrors the organisation's member register and owns the access rule."""
