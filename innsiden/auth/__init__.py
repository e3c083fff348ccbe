"""auth: members log in with one-time codes; sessions end with membership."""
