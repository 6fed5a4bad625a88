"""Contract figures: reporting KPIs per collector, grid and period."""
