"""The plan: measures, indicators, event outcomes, the municipal HYTU plan tracker."""
