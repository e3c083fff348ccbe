"""notifications: one mechanism for "something you care about happened", in page and e-mail."""
