"""Min profil's pages (`pages`, /min-profil; `tokens`, its API keys) and the administrators'
privacy pages (`admin`)."""

from innsiden.profile.views import admin, pages, tokens

__all__ = ["admin", "pages", "tokens"]
