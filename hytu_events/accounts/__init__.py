"""Accounts of the back office: users, roles, logging in."""
