"""Reporting: the dashboard, the public summary, the printable report and downloads, and the
municipal HYTU plan tracker."""
