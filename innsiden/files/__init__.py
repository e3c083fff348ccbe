"""Files: folders, uploads, versions and the trash in every group's file area, on disk or S3."""
