"""Processing provider ``citymgmt`` and its algorithms, thin over ``citymgmt_plugin.core``."""
