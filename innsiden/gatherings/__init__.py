"""Events in groups ("arrangementer"): meetings, courses and gatherings with sign-up,
waiting lists that never overbook, reminders and calendars."""
