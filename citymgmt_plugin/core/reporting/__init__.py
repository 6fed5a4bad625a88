"""Contract figures: reporting KPIs of a period per collector and grid, measure by measure."""
