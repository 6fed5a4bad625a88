"""Unit grids: grid codes and the topology checks of the grid layer."""
