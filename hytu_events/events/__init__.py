"""Events: HYTU clinics, municipal workshops, virtual coffees; the public listing and pages."""
