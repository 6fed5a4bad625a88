"""Unit grids: the topology and code checks of the grid layer, and their polygon helpers."""
