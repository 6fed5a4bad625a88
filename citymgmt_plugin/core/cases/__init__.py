"""Cases and their history, 核实/核查 tasks with time limits, and the ODK entity list that
carries the tasks to the devices and their results back."""
