"""Registrations: the public form, capacity and the waiting list."""
