"""admin: pages for central administrators (members with the register role `sentraladmin`)."""
