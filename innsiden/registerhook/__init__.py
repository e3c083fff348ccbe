"""registerhook: the member register's push to the portal (`POST /membersync/webhook`)."""
